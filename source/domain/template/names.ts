/** `log-router` → `LogRouter`: CloudFormation logical ids and parameter names are alphanumeric. */
export function pascalCase(name: string): string {
	return name
		.split(/[^A-Za-z0-9]+/)
		.filter(Boolean)
		.map(part => part[0]!.toUpperCase() + part.slice(1))
		.join('');
}

export const imageTagParameter = (ref: string) => `ImageTag${pascalCase(ref)}`;
export const secretParameter = (variable: string) => `Secret${pascalCase(variable)}`;
