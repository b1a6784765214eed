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

/**
 * The logical id of the secret that holds a composed value (sensitive literals among other text):
 * `<Container><Name>Value`, or `<Container>Log<Option>Value` for a log option. Ids end in `Value`, so they
 * never meet a variable's `<Variable>Secret` or the template's other resources; two values that come out
 * the same (`DB_URL` and `DB-URL`) are told apart by a number, in template order.
 */
export function composedSecretId(container: string, logOption: boolean, name: string, taken: ReadonlySet<string>): string {
	// CloudFormation logical ids are at most 255 characters.
	const base = `${pascalCase(container)}${logOption ? 'Log' : ''}${pascalCase(name)}`.slice(0, 200);
	for (let n = 1; ; n++) {
		const id = `${base}${n === 1 ? '' : n}Value`;
		if (!taken.has(id)) return id;
	}
}

/** `${AWS::StackName}/composed/<id>`: the name of the secret that holds a composed value. */
export const composedSecretName = (stackName: string, id: string) => `${stackName}/composed/${id}`;
