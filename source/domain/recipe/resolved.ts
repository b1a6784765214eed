import type {ImageSource, ServiceSpec} from './schema.js';

/** Where a deployment goes: the ECS cluster and its region (and the account when known). */
export type TargetInfo = {
	/** The stored target's name: variables scoped to targets apply by it. */
	name?: string;
	region: string;
	cluster: string;
	/** The target account id, when known (from STS); ECR images without an explicit account live there. */
	accountId?: string;
};

/** An image reference of the recipe with the tag chosen for this release (absent when none was chosen). */
export type ResolvedImage = ImageSource & {
	ref: string;
	tag?: string;
	/** `sha256:…` digest the release pinned, when known. */
	digest?: string;
};

/** A sensitive variable referenced by the service, as the template needs it (never its value). */
export type SensitiveReference = {
	name: string;
	/** Secrets Manager / SSM reference: becomes an ECS `secrets`/`secretOptions` entry. */
	valueFrom?: string;
};

/**
 * The service for one environment and release, after variable substitution and validation: everything the
 * template builder needs. Strings in container `environment` values and log `options` may hold sensitive
 * markers (see domain/variables) in place of sensitive values.
 */
export type ResolvedRecipe = {
	project: string;
	description?: string;
	environment: string;
	/** The release version, when known (deploys always know it; `export` may not). */
	releaseVersion?: string;
	service: ServiceSpec;
	images: Record<string, ResolvedImage>;
	/** Sensitive variables the service refers to, by name. */
	sensitive: Record<string, SensitiveReference>;
	target?: TargetInfo;
};
