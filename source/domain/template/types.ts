/** A CloudFormation value: literals, lists, maps and intrinsic functions (`{Ref: …}`, `{'Fn::Sub': …}`). */
export type CfnValue = string | number | boolean | CfnValue[] | {[key: string]: CfnValue};

export type CfnResource = {
	Type: string;
	Properties: Record<string, CfnValue>;
	DependsOn?: string[];
};

export type CfnParameter = {
	Type: 'String';
	Description: string;
	Default?: string;
	NoEcho?: boolean;
	AllowedPattern?: string;
	ConstraintDescription?: string;
};

export type CfnTemplate = {
	AWSTemplateFormatVersion: '2010-09-09';
	Description: string;
	Parameters: Record<string, CfnParameter>;
	Resources: Record<string, CfnResource>;
	Outputs: Record<string, {Description: string; Value: CfnValue}>;
};

export type Tag = {Key: string; Value: string};

/** A template and what a deploy needs to go with it. */
export type BuiltTemplate = {
	template: CfnTemplate;
	stackName: string;
	/** Tags for the stack itself (CloudFormation copies them to the resources it can tag). */
	stackTags: Tag[];
	/** Image tag parameters that have no default because no tag was chosen (export says so). */
	imageParametersWithoutDefault: string[];
	/**
	 * NoEcho parameters carrying sensitive literal variables: values come from the operator at deploy time,
	 * and the stack keeps them in Secrets Manager secrets that the containers read (a variable's own secret
	 * when it is a whole value, the composed value's secret when it is part of one).
	 */
	secretParameters: Array<{parameter: string; variable: string}>;
};
