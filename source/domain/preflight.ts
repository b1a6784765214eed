import type {ResolvedRecipe} from './recipe/resolved.js';

/*
 * The pre-flight verify of a recipe against the account it deploys to: what to check (read from the
 * resolved recipe, each item naming the recipe field it comes from) and how to read AWS's answers (trust
 * policies, image manifests). Pure: the engine makes the calls (engine/recipes/verify.ts).
 */

/** How a check ended. "not checked" is never a pass: it says why the check could not be made. */
export type CheckState = 'passed' | 'failed' | 'not checked';

/** `cluster`: the target's cluster (verify only; a deploy checks it in its own pre-flight). */
export type VerifyKind = 'cluster' | 'role' | 'network' | 'target-group' | 'secret' | 'image';

/** One finding: the recipe field it concerns, what was found, and what to do about a failure. */
export type VerifyCheck = {
	kind: VerifyKind;
	/** The recipe field (path), e.g. `service.executionRole`, `service.network.subnets[1]`. */
	field: string;
	/** What was checked, for people: `execution role ecsTaskExecutionRole`. */
	subject: string;
	state: CheckState;
	/** What was found (or why it could not be checked). */
	reason: string;
	/** What to do, on a failure. */
	fix?: string;
	/** A passed result remembered from an earlier run (see the verify cache). */
	cached?: boolean;
	/** Facts other checks compare with: the VPC of the subnets or of a target group. */
	vpc?: string;
};

/** A remembered pass: when it was checked, and what was found. */
export type VerifyCacheEntry = {at: number; checks: VerifyCheck[]};

/** Where passed results are kept between runs (store/verify-cache.ts: a file in the workspace). */
export type VerifyCache = {
	load(): Record<string, VerifyCacheEntry>;
	save(entries: Record<string, VerifyCacheEntry>): void;
};

export type CpuArchitecture = 'X86_64' | 'ARM64';

/** What one check needs, named after the recipe field it comes from. Its JSON is the check's cache key. */
export type VerifyItem =
	| {kind: 'role'; field: string; arn: string; use: 'task' | 'execution'}
	| {kind: 'network'; field: string; subnets: string[]; securityGroups: string[]}
	| {kind: 'target-group'; field: string; arn: string; container: string; port: number}
	| {kind: 'secret'; field: string; valueFrom: string; executionRole?: string}
	| {kind: 'image'; field: string; ref: string; repository: string; registry?: string; account?: string; region?: string; tag?: string; digest?: string; architecture: CpuArchitecture};

/** The CPU architecture the task runs on: `cpuArchitecture`, else `runtimePlatform.cpuArchitecture`, else X86_64. */
export function taskArchitecture(resolved: ResolvedRecipe): CpuArchitecture {
	return resolved.service.cpuArchitecture ?? resolved.service.runtimePlatform?.cpuArchitecture ?? 'X86_64';
}

/** Everything the verify checks for a resolved recipe, in recipe order. */
export function verifyItems(resolved: ResolvedRecipe): VerifyItem[] {
	const {service} = resolved;
	const items: VerifyItem[] = [];
	if (service.taskRole !== undefined) items.push({kind: 'role', field: 'service.taskRole', arn: service.taskRole, use: 'task'});
	if (service.executionRole !== undefined) items.push({kind: 'role', field: 'service.executionRole', arn: service.executionRole, use: 'execution'});
	items.push({kind: 'network', field: 'service.network', subnets: [...service.network.subnets], securityGroups: [...service.network.securityGroups]});
	service.loadBalancers.forEach((lb, i) => {
		items.push({kind: 'target-group', field: `service.loadBalancers[${i}].targetGroupArn`, arn: lb.targetGroupArn, container: lb.container, port: lb.port});
		if (lb.alternateTargetGroupArn !== undefined) items.push({kind: 'target-group', field: `service.loadBalancers[${i}].alternateTargetGroupArn`, arn: lb.alternateTargetGroupArn, container: lb.container, port: lb.port});
	});
	const role = service.executionRole === undefined ? {} : {executionRole: service.executionRole};
	const seen = new Set<string>();
	const secret = (field: string, valueFrom: string) => {
		if (seen.has(valueFrom)) return;
		seen.add(valueFrom);
		items.push({kind: 'secret', field, valueFrom, ...role});
	};
	for (const variable of Object.values(resolved.sensitive)) if (variable.valueFrom !== undefined) secret(`variables.${variable.name}.valueFrom`, variable.valueFrom);
	service.containers.forEach((container, i) => {
		container.secrets.forEach((s, j) => secret(`service.containers[${i}].secrets[${j}].valueFrom`, s.valueFrom));
		if (container.logging?.type === 'manual') container.logging.secretOptions?.forEach((s, j) => secret(`service.containers[${i}].logging.secretOptions[${j}].valueFrom`, s.valueFrom));
	});
	const architecture = taskArchitecture(resolved);
	const images = new Set(service.containers.map(c => c.image));
	for (const ref of images) {
		const image = resolved.images[ref];
		if (!image) continue;
		if (image.credentials !== undefined) secret(`images.${ref}.credentials`, image.credentials);
		items.push({
			kind: 'image',
			field: `images.${ref}`,
			ref,
			repository: image.repository,
			architecture,
			...(image.registry === undefined ? {} : {registry: image.registry}),
			...(image.account === undefined ? {} : {account: image.account}),
			...(image.region === undefined ? {} : {region: image.region}),
			...(image.tag === undefined ? {} : {tag: image.tag}),
			...(image.digest === undefined ? {} : {digest: image.digest}),
		});
	}
	return items;
}

/** The role name of a role ARN (`arn:aws:iam::1:role/path/name` → `name`): GetRole takes the name. */
export function roleName(arn: string): string {
	return arn.split('/').at(-1) ?? arn;
}

/** The service principal tasks assume their roles with. */
export const ecsTasksPrincipal = 'ecs-tasks.amazonaws.com';

/**
 * Whether a role's trust policy lets ECS tasks assume it: a statement with Effect Allow, an action that covers
 * `sts:AssumeRole`, and `ecs-tasks.amazonaws.com` among its service principals. IAM returns the document
 * URL-encoded (GetRole, https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html); a decoded one is
 * read too. Conditions are not evaluated (a statement with one still counts).
 */
export function trustsEcsTasks(document: string | undefined): boolean {
	if (!document) return false;
	let parsed: unknown;
	try {
		parsed = JSON.parse(document.trimStart().startsWith('{') ? document : decodeURIComponent(document));
	} catch {
		return false;
	}
	const statements = asList((parsed as {Statement?: unknown})?.Statement);
	return statements.some(s => {
		const statement = s as {Effect?: unknown; Action?: unknown; Principal?: unknown};
		if (statement.Effect !== 'Allow') return false;
		const actions = asList(statement.Action).map(String);
		if (!actions.some(a => a === '*' || a === 'sts:*' || a.toLowerCase() === 'sts:assumerole')) return false;
		const principal = statement.Principal as {Service?: unknown} | string | undefined;
		if (principal === '*') return true;
		return asList(typeof principal === 'object' && principal !== null ? principal.Service : undefined).includes(ecsTasksPrincipal);
	});
}

/** The Secrets Manager secret a `valueFrom` names (`arn:…:secret:name-AbCdEf:jsonkey:stage:version` → the ARN). */
export function secretId(valueFrom: string): string {
	return valueFrom.split(':').slice(0, 7).join(':');
}

export function isSecretsManager(valueFrom: string): boolean {
	return valueFrom.startsWith('arn:') && valueFrom.split(':')[2] === 'secretsmanager';
}

/**
 * The SSM parameter name of a `valueFrom`: a name as it is, an ARN's resource part (`parameter/app/key` →
 * `/app/key`, `parameter/key` → `key`: a hierarchical name starts with a slash, which the ARN leaves out).
 */
export function parameterName(valueFrom: string): string {
	if (!valueFrom.startsWith('arn:')) return valueFrom;
	const resource = valueFrom.split(':').slice(5).join(':').replace(/^parameter\//, '');
	return resource.includes('/') ? `/${resource}` : resource;
}

/** The ARN IAM evaluates a parameter read against (a bare name is in the target's account and region). */
export function parameterArn(valueFrom: string, partition: string, region: string, account: string): string {
	if (valueFrom.startsWith('arn:')) return valueFrom;
	return `arn:${partition}:ssm:${region}:${account}:parameter/${valueFrom.replace(/^\//, '')}`;
}

/** The architecture names of image manifests for a task's CPU architecture (OCI image-spec `platform.architecture`). */
export function manifestArchitecture(architecture: CpuArchitecture): string {
	return architecture === 'ARM64' ? 'arm64' : 'amd64';
}

/** Manifest media types ECR is asked for: an index (several platforms) first, then one image. */
export const manifestMediaTypes = [
	'application/vnd.oci.image.index.v1+json',
	'application/vnd.docker.distribution.manifest.list.v2+json',
	'application/vnd.oci.image.manifest.v1+json',
	'application/vnd.docker.distribution.manifest.v2+json',
	'application/vnd.docker.distribution.manifest.v1+json',
] as const;

/** What an image manifest says about platforms. */
export type ManifestPlatforms =
	/** An index: the platforms it has a variant for (`linux/arm64`…; attestation entries left out). */
	| {kind: 'index'; platforms: Array<{os: string; architecture: string}>}
	/** One image whose architecture the manifest names (schema 1). */
	| {kind: 'single'; architecture: string}
	/** One image: its architecture is in the config blob with this digest. */
	| {kind: 'config'; digest: string}
	| {kind: 'unreadable'; why: string};

/** Reads an image manifest (OCI image index, Docker manifest list, image manifest, schema 1). */
export function manifestPlatforms(manifest: string | undefined): ManifestPlatforms {
	if (!manifest) return {kind: 'unreadable', why: 'no manifest in the answer'};
	let parsed: {manifests?: unknown; architecture?: unknown; config?: {digest?: unknown}};
	try {
		parsed = JSON.parse(manifest) as typeof parsed;
	} catch {
		return {kind: 'unreadable', why: 'the manifest is not JSON'};
	}
	if (Array.isArray(parsed.manifests)) {
		const platforms = parsed.manifests
			.map(m => (m as {platform?: {os?: unknown; architecture?: unknown}}).platform)
			.filter((p): p is {os: string; architecture: string} => typeof p?.os === 'string' && typeof p.architecture === 'string' && p.os !== 'unknown');
		return {kind: 'index', platforms};
	}
	if (typeof parsed.architecture === 'string') return {kind: 'single', architecture: parsed.architecture};
	if (typeof parsed.config?.digest === 'string') return {kind: 'config', digest: parsed.config.digest};
	return {kind: 'unreadable', why: 'the manifest names no platform and no config'};
}

/** The words for a list of platforms: `linux/amd64, linux/arm64`. */
export function platformWords(platforms: ReadonlyArray<{os: string; architecture: string}>): string {
	return platforms.length === 0 ? 'no platform' : platforms.map(p => `${p.os}/${p.architecture}`).join(', ');
}

function asList(value: unknown): unknown[] {
	return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The verdict of a verify: failed when any check failed. */
export function verifyPassed(checks: readonly VerifyCheck[]): boolean {
	return !checks.some(c => c.state === 'failed');
}

/** `3 passed, 1 failed, 1 not checked`. */
export function checkCounts(checks: readonly VerifyCheck[]): string {
	const count = (state: CheckState) => checks.filter(c => c.state === state).length;
	return [`${count('passed')} passed`, `${count('failed')} failed`, `${count('not checked')} not checked`].join(', ');
}
