/** `log-router` → `LogRouter`: CloudFormation logical ids and parameter names are alphanumeric. */
export function pascalCase(name: string): string {
	return name
		.split(/[^A-Za-z0-9]+/)
		.filter(Boolean)
		.map(part => part[0]!.toUpperCase() + part.slice(1))
		.join('');
}

export const imageTagParameter = (ref: string) => `ImageTag${pascalCase(ref)}`;
/** The NoEcho parameter that carries a sensitive literal's value into the stack. */
export const secretParameter = (variable: string) => `Secret${pascalCase(variable)}`;
/** The Secrets Manager secret the stack keeps that value in, for containers to read. */
export const secretResource = (variable: string) => `${pascalCase(variable)}Secret`;
/** `${AWS::StackName}/<variable>`: the secret's name, unique per stack, so environments never share one. */
export const secretName = (stackName: string, variable: string) => `${stackName}/${variable}`;
