import {createHash} from 'node:crypto';
import type {RegistryPort} from '../ports.js';

/*
 * The public registries as the sandbox account sees them: the images the example recipes use from outside
 * ECR, with a few tags each, so that a release pins their digests as it would against the real registry.
 * Any other image is not known (the release pins its tag alone, and says so).
 */

const images: Record<string, readonly string[]> = {
	'public.ecr.aws/aws-observability/aws-for-fluent-bit': ['2.32.4', '2.32.5', '3.0.0', 'stable', 'latest'],
	'docker.io/library/nginx': ['1.27.3', '1.27.4', 'stable', 'latest'],
};

const digestOf = (image: string, tag: string) => `sha256:${createHash('sha256').update(`${image}:${tag}`).digest('hex')}`;

export function sandboxRegistry(): RegistryPort {
	return {
		async manifestDigest({registry, repository, tag}) {
			const image = `${registry.replace(/\/+$/, '')}/${repository}`;
			const tags = images[image];
			if (!tags) return {unknown: `the sandbox knows no image ${image}`};
			if (!tags.includes(tag)) return {unknown: `${registry} has no tag ${tag} of ${repository}`};
			// stable and latest point at the newest release, as such tags do.
			return {digest: digestOf(image, tag === 'stable' || tag === 'latest' ? tags.at(-3)! : tag)};
		},
	};
}
