import type {ImageSource} from './recipe/schema.js';

/*
 * What a task definition runs, read back as the recipe's images (pure): each container's `image`
 * (`<registry>/<repository>:<tag>` or `<registry>/<repository>@sha256:<digest>`, as the ECS API reference
 * gives ContainerDefinition.image) is matched with the recipe's image whose repository it names.
 */

export type RunningImage = {tag?: string; digest?: string; image: string};

/** Splits an image reference into repository path, tag and digest. */
export function parseImage(image: string): {repository: string; tag?: string; digest?: string} {
	const at = image.indexOf('@');
	const digest = at >= 0 ? image.slice(at + 1) : undefined;
	const name = at >= 0 ? image.slice(0, at) : image;
	// A tag follows the last colon after the last slash (a registry host may carry a port: host:5000/repo).
	const slash = name.lastIndexOf('/');
	const colon = name.lastIndexOf(':');
	const tag = colon > slash ? name.slice(colon + 1) : undefined;
	const repository = colon > slash ? name.slice(0, colon) : name;
	return {repository, ...(tag ? {tag} : {}), ...(digest ? {digest} : {})};
}

/** The recipe's images as a task definition's containers run them, by image ref (refs not found are left out). */
export function runningImages(containers: ReadonlyArray<{image?: string | undefined}>, images: Readonly<Record<string, ImageSource>>): Record<string, RunningImage> {
	const found: Record<string, RunningImage> = {};
	for (const container of containers) {
		if (!container.image) continue;
		const parsed = parseImage(container.image);
		for (const [ref, source] of Object.entries(images)) {
			if (found[ref]) continue;
			const path = source.registry === undefined ? source.repository : `${source.registry.replace(/\/+$/, '')}/${source.repository}`;
			if (parsed.repository === path || parsed.repository.endsWith(`/${path}`)) {
				found[ref] = {image: container.image, ...(parsed.tag ? {tag: parsed.tag} : {}), ...(parsed.digest ? {digest: parsed.digest} : {})};
			}
		}
	}
	return found;
}

/** Whether a release's images are the ones running (same tags; same digests where both are known). */
export function sameImages(release: Readonly<Record<string, {tag: string; digest?: string}>>, running: Readonly<Record<string, RunningImage>>): boolean {
	const refs = Object.keys(release);
	if (refs.length === 0 || refs.length !== Object.keys(running).length) return false;
	return refs.every(ref => {
		const r = running[ref];
		const pinned = release[ref]!;
		if (!r) return false;
		if (r.tag !== undefined && r.tag !== pinned.tag) return false;
		if (r.digest !== undefined && pinned.digest !== undefined && r.digest !== pinned.digest) return false;
		return r.tag !== undefined || (r.digest !== undefined && r.digest === pinned.digest);
	});
}
