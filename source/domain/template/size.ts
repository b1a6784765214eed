import {error, type Problem} from '../problems.js';
import {formatCount} from '../text.js';
import type {CfnTemplate} from './types.js';

/**
 * The largest template CloudFormation takes in a request's `TemplateBody`: 51,200 bytes ("Template body size
 * in a request", https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html).
 * Larger ones go through S3 (`TemplateURL`), which this tool does not use.
 */
export const maxTemplateBodyBytes = 51_200;

/** The bytes of the body a deploy sends: the template as compact JSON, in UTF-8. */
export function templateBodyBytes(template: CfnTemplate): number {
	return new TextEncoder().encode(JSON.stringify(template)).length;
}

/**
 * A problem when the template is over CloudFormation's TemplateBody limit, naming its size, the limit and
 * the container that takes the most of it; found before AWS is called, by validate, export and deploy alike.
 */
export function templateSizeProblem(template: CfnTemplate): Problem | undefined {
	const bytes = templateBodyBytes(template);
	if (bytes <= maxTemplateBodyBytes) return undefined;
	const definitions = template.Resources['TaskDefinition']?.Properties?.['ContainerDefinitions'];
	let largest = '';
	if (Array.isArray(definitions) && definitions.length > 0) {
		const sizes = definitions.map(d => new TextEncoder().encode(JSON.stringify(d)).length);
		const at = sizes.indexOf(Math.max(...sizes));
		largest = `; service.containers[${at}] takes ${formatCount(sizes[at]!)} bytes of it`;
	}
	return error(
		'service',
		`makes a CloudFormation template of ${formatCount(bytes)} bytes, over the ${formatCount(maxTemplateBodyBytes)} bytes CloudFormation takes in a request (TemplateBody)${largest}: shorten long values (environment values, commands), or keep them in the image or in SSM Parameter Store`,
	);
}
