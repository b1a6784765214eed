import type {RegistryPort} from './ports.js';

/*
 * The digest a tag points at in a registry outside ECR (public.ecr.aws, docker.io, ghcr.io, quay.io…), read
 * the way `docker pull` resolves it: HEAD /v2/<repository>/manifests/<tag> (OCI distribution spec,
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#checking-if-content-exists-in-the-registry)
 * answers the digest in `Docker-Content-Digest`. A registry that wants a token says where to get one in
 * `WWW-Authenticate: Bearer realm=…,service=…,scope=…`; public images get one without credentials
 * (https://distribution.github.io/distribution/spec/auth/token/). Anything else (a private image, no network)
 * is reported as unknown with why: the release then pins the tag alone.
 */

/** Manifest types a registry may answer with: an image index (several platforms) or one image. */
const accept = [
	'application/vnd.oci.image.index.v1+json',
	'application/vnd.docker.distribution.manifest.list.v2+json',
	'application/vnd.oci.image.manifest.v1+json',
	'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export type RegistryOptions = {
	/** @default globalThis.fetch */
	fetch?: typeof fetch;
	/** Per request. @default 5000 */
	timeoutMs?: number;
};

export function createRegistryPort(options: RegistryOptions = {}): RegistryPort {
	const get = options.fetch ?? globalThis.fetch;
	const timeoutMs = options.timeoutMs ?? 5000;
	return {
		async manifestDigest({registry, repository, tag}) {
			const {host, path} = locate(registry, repository);
			const url = `https://${host}/v2/${path}/manifests/${encodeURIComponent(tag)}`;
			try {
				let answer = await get(url, {method: 'HEAD', headers: {Accept: accept}, signal: AbortSignal.timeout(timeoutMs)});
				if (answer.status === 401) {
					const challenge = parseChallenge(answer.headers.get('www-authenticate') ?? '');
					if (!challenge) return {unknown: `${host} asks for credentials`};
					const token = await anonymousToken(get, challenge, timeoutMs);
					if (!token) return {unknown: `${host} gave no token without credentials (a private image?)`};
					answer = await get(url, {method: 'HEAD', headers: {Accept: accept, Authorization: `Bearer ${token}`}, signal: AbortSignal.timeout(timeoutMs)});
				}
				if (answer.status === 404) return {unknown: `${host} has no tag ${tag} of ${path}`};
				if (!answer.ok) return {unknown: `${host} answered HTTP ${answer.status}`};
				const digest = answer.headers.get('docker-content-digest');
				return digest && /^sha256:[0-9a-f]{64}$/.test(digest) ? {digest} : {unknown: `${host} did not say the digest`};
			} catch (cause) {
				const error = cause as Error & {cause?: {code?: string}};
				return {unknown: `${host} could not be reached (${error.cause?.code ?? (error.name === 'TimeoutError' ? 'timed out' : error.message)})`};
			}
		},
	};
}

/** The registry's API host and the repository's path there (Docker Hub: registry-1.docker.io, `library/` for official images). */
export function locate(registry: string, repository: string): {host: string; path: string} {
	const host = registry.replace(/^https?:\/\//, '').replace(/\/+$/, '');
	if (host === 'docker.io' || host === 'index.docker.io' || host === 'registry-1.docker.io') return {host: 'registry-1.docker.io', path: repository.includes('/') ? repository : `library/${repository}`};
	return {host, path: repository};
}

/** `Bearer realm="https://…",service="…",scope="…"` → its parts. */
export function parseChallenge(header: string): {realm: string; service?: string; scope?: string} | undefined {
	if (!/^bearer\s/i.test(header)) return undefined;
	const parts: Record<string, string> = {};
	for (const match of header.slice(6).matchAll(/(\w+)="([^"]*)"/g)) parts[match[1]!.toLowerCase()] = match[2]!;
	if (!parts['realm']?.startsWith('https://')) return undefined;
	return {realm: parts['realm'], ...(parts['service'] ? {service: parts['service']} : {}), ...(parts['scope'] ? {scope: parts['scope']} : {})};
}

async function anonymousToken(get: typeof fetch, challenge: {realm: string; service?: string; scope?: string}, timeoutMs: number): Promise<string | undefined> {
	const url = new URL(challenge.realm);
	if (challenge.service) url.searchParams.set('service', challenge.service);
	if (challenge.scope) url.searchParams.set('scope', challenge.scope);
	const answer = await get(url, {signal: AbortSignal.timeout(timeoutMs)});
	if (!answer.ok) return undefined;
	const body = (await answer.json()) as {token?: unknown; access_token?: unknown};
	const token = body.token ?? body.access_token;
	return typeof token === 'string' && token !== '' ? token : undefined;
}
