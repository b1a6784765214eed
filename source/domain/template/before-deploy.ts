import {executionRoleId, executionRolePath} from './iam.js';
import type {BuiltTemplate, CfnValue} from './types.js';

/*
 * The task definition a beforeDeploy task (a migration) runs: the one the template builds for the service,
 * for the NEW release (its images, environment, secrets, roles, logging), registered outside CloudFormation
 * under a family of its own so the service's family keeps only the service's revisions. Its CloudFormation
 * references are resolved as the stack would: parameters by the values the change set is created with,
 * pseudo parameters, and the stack's resources by their physical ids (which only exist once the stack does).
 */

/** What the stack that runs the service tells about itself (ListStackResources, its ARN). */
export type StackFacts = {
	stackName: string;
	region: string;
	accountId: string;
	/** `aws`, `aws-cn`, `aws-us-gov`. */
	partition: string;
	/** Physical id by logical id, of the resources the stack holds now. */
	physicalIds: Readonly<Record<string, string>>;
};

/** RegisterTaskDefinition's input, in the ECS API's shape (camelCase members). */
export type TaskDefinitionRegistration = {family: string; containerDefinitions: Array<Record<string, unknown>>} & Record<string, unknown>;

/** The family of the beforeDeploy task definitions of a service family (255 characters at most). */
export function beforeDeployFamily(family: string): string {
	const suffix = '-before-deploy';
	return `${family.slice(0, 255 - suffix.length)}${suffix}`;
}

/**
 * The task definition registration for the beforeDeploy tasks of a built template, or the references it
 * needs that the stack does not hold yet (a stack not yet created has no execution role or log group).
 */
export function beforeDeployTaskDefinition(built: BuiltTemplate, facts: StackFacts): {registration: TaskDefinitionRegistration} | {missing: string[]} {
	const resource = built.template.Resources['TaskDefinition'];
	if (!resource) return {missing: ['TaskDefinition']};
	const missing = new Set<string>();
	const parameters = built.template.Parameters;
	const pseudo: Record<string, string> = {
		'AWS::StackName': facts.stackName,
		'AWS::Region': facts.region,
		'AWS::AccountId': facts.accountId,
		'AWS::Partition': facts.partition,
		'AWS::URLSuffix': facts.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
	};
	const ref = (name: string): string | undefined => {
		if (pseudo[name] !== undefined) return pseudo[name];
		const parameter = parameters[name];
		// NoEcho parameters feed only the stack's secrets, never the task definition.
		if (parameter) return parameter.NoEcho ? undefined : parameter.Default;
		const physical = facts.physicalIds[name];
		if (physical === undefined) missing.add(name);
		return physical;
	};
	const attribute = (id: string, name: string): string | undefined => {
		// The role the stack creates: its ARN from its name and path (AWS::IAM::Role's physical id is its name).
		if (id === executionRoleId && name === 'Arn') {
			const role = facts.physicalIds[id];
			if (role === undefined) {
				missing.add(id);
				return undefined;
			}
			return role.startsWith('arn:') ? role : `arn:${facts.partition}:iam::${facts.accountId}:role${executionRolePath(facts.stackName)}${role}`;
		}
		missing.add(`${id}.${name}`);
		return undefined;
	};
	const resolve = (value: CfnValue): unknown => {
		if (Array.isArray(value)) return value.map(resolve);
		if (typeof value !== 'object' || value === null) return value;
		const keys = Object.keys(value);
		if (keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'))) {
			const argument = value[keys[0]!]!;
			if (keys[0] === 'Ref' && typeof argument === 'string') return ref(argument) ?? '';
			if (keys[0] === 'Fn::GetAtt' && Array.isArray(argument)) return attribute(String(argument[0]), String(argument[1])) ?? '';
			if (keys[0] === 'Fn::Sub' && typeof argument === 'string') {
				return argument.replace(/\$\{([^!}][^}]*)\}/g, (_whole, name: string) => {
					const [id, attr] = name.split('.');
					return (attr === undefined ? ref(name) : attribute(id!, attr)) ?? '';
				});
			}
			if (keys[0] === 'Fn::Join' && Array.isArray(argument) && typeof argument[0] === 'string' && Array.isArray(argument[1])) {
				return (argument[1] as CfnValue[]).map(part => String(resolve(part))).join(argument[0]);
			}
			missing.add(keys[0]!);
			return '';
		}
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
	};
	const properties = resolve(resource.Properties as CfnValue) as Record<string, unknown>;
	if (missing.size > 0) return {missing: [...missing].sort()};
	const shaped = apiShape(properties) as Record<string, unknown>;
	return {
		registration: {
			...shaped,
			family: beforeDeployFamily(String(shaped['family'] ?? built.stackName)),
			containerDefinitions: (shaped['containerDefinitions'] as Array<Record<string, unknown>> | undefined) ?? [],
		},
	};
}

/** Members whose keys are names chosen by the recipe (log driver options, labels): kept as written. */
const freeForm: ReadonlySet<string> = new Set(['Options', 'DockerLabels']);

/** CloudFormation property names the ECS API spells otherwise than by lowering the first letter. */
const renamed: Readonly<Record<string, string>> = {EFSVolumeConfiguration: 'efsVolumeConfiguration', FilesystemId: 'fileSystemId', IAM: 'iam'};

/**
 * A resolved `AWS::ECS::TaskDefinition` property as RegisterTaskDefinition takes it: camelCase members
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html), numbers where
 * the API wants them as text (task cpu and memory) left as the template wrote them.
 */
export function apiShape(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(apiShape);
	if (value === null || typeof value !== 'object') return value;
	return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [renamed[key] ?? key.charAt(0).toLowerCase() + key.slice(1), freeForm.has(key) ? item : apiShape(item)]));
}
