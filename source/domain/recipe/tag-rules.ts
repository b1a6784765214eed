import {error, formatPath, type Problem} from '../problems.js';
import {quote} from '../text.js';
import type {ServiceSpec} from './schema.js';

/** Tag characters AWS allows: letters, digits, spaces and _ . : / = + - @ */
export const tagCharacters = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/**
 * A list of recipe tags (`service.tags`, `service.serviceTags`): at most 20, unique keys, lengths, characters,
 * and no key of the reserved prefixes. `base` is the list's path.
 */
export function checkTagList(tags: ServiceSpec['tags'], base: ReadonlyArray<string | number>): Problem[] {
	const at = (...segments: Array<string | number>) => formatPath([...base, ...segments]);
	const problems: Problem[] = [];
	const name = String(base.at(-1));
	if (tags.length > 20) problems.push(error(at(), `has ${tags.length} tags; at most 20 are allowed`));
	const seen = new Map<string, number>();
	tags.forEach((tag, i) => {
		const first = seen.get(tag.key);
		if (first !== undefined) problems.push(error(at(i, 'key'), `${quote(tag.key)} is already the key of ${name}[${first}]: tag keys must be unique`));
		else seen.set(tag.key, i);
		if (tag.key.length > 128) problems.push(error(at(i, 'key'), 'must be at most 128 characters long'));
		if (tag.value.length > 256) problems.push(error(at(i, 'value'), 'must be at most 256 characters long'));
		if (!tagCharacters.test(tag.key)) problems.push(error(at(i, 'key'), 'may use letters, digits, spaces and _ . : / = + - @ only'));
		if (!tagCharacters.test(tag.value)) problems.push(error(at(i, 'value'), 'may use letters, digits, spaces and _ . : / = + - @ only'));
		if (/^aws:/i.test(tag.key)) problems.push(error(at(i, 'key'), 'the aws: prefix is reserved by AWS'));
		if (/^ecs-deployer:/i.test(tag.key)) problems.push(error(at(i, 'key'), 'the ecs-deployer: prefix is reserved for the tags this tool adds'));
	});
	return problems;
}
