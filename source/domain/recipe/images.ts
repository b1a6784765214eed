import type {ImageSource} from './schema.js';
import type {TargetInfo} from './resolved.js';

/**
 * The repository part of an image reference, without the tag:
 * `123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello-color` or `docker.io/library/nginx`.
 * Undefined for an ECR image whose account is not known yet (no `account` in the recipe and no target account).
 */
export function repositoryUri(image: ImageSource, target?: TargetInfo): string | undefined {
	if (image.registry !== undefined) return `${image.registry.replace(/\/+$/, '')}/${image.repository}`;
	const account = image.account ?? target?.accountId;
	const region = image.region ?? target?.region;
	if (account === undefined || region === undefined) return undefined;
	return `${account}.dkr.ecr.${region}.amazonaws.com/${image.repository}`;
}

/** Describes where an image comes from, for messages: `ECR hello-color` or `docker.io/library/nginx`. */
export function describeImageSource(image: ImageSource): string {
	return image.registry === undefined ? `ECR repository ${image.repository}` : `${image.registry}/${image.repository}`;
}
