import {describe, expect, test} from 'vitest';
import {createRegistryPort, locate, parseChallenge} from '../../source/aws/registry.js';

const digest = `sha256:${'b'.repeat(64)}`;

/** A registry that wants an anonymous token first, as public.ecr.aws and Docker Hub do. */
function registry(options: {tokenStatus?: number; tags?: string[]} = {}) {
	const requests: string[] = [];
	const fetch = (async (url: string | URL, init?: RequestInit) => {
		const text = String(url);
		const auth = (init?.headers as Record<string, string> | undefined)?.['Authorization'];
		requests.push(`${init?.method ?? 'GET'} ${text}${auth ? ' (token)' : ''}`);
		if (text.startsWith('https://public.ecr.aws/token/')) {
			return new Response(JSON.stringify({token: 'anonymous'}), {status: options.tokenStatus ?? 200});
		}
		if (!auth) return new Response(null, {status: 401, headers: {'WWW-Authenticate': 'Bearer realm="https://public.ecr.aws/token/",service="public.ecr.aws",scope="aws"'}});
		const tag = text.split('/manifests/')[1]!;
		return (options.tags ?? ['2.32.4']).includes(tag) ? new Response(null, {status: 200, headers: {'Docker-Content-Digest': digest}}) : new Response(null, {status: 404});
	}) as typeof globalThis.fetch;
	return {port: createRegistryPort({fetch}), requests};
}

describe('digests from registries outside ECR', () => {
	test('a public image: HEAD the manifest, get an anonymous token when asked, HEAD again', async () => {
		const {port, requests} = registry();
		expect(await port.manifestDigest({registry: 'public.ecr.aws', repository: 'aws-observability/aws-for-fluent-bit', tag: '2.32.4'})).toEqual({digest});
		expect(requests).toEqual([
			'HEAD https://public.ecr.aws/v2/aws-observability/aws-for-fluent-bit/manifests/2.32.4',
			'GET https://public.ecr.aws/token/?service=public.ecr.aws&scope=aws',
			'HEAD https://public.ecr.aws/v2/aws-observability/aws-for-fluent-bit/manifests/2.32.4 (token)',
		]);
	});

	test('an unknown tag, a registry that gives no token, and no network: unknown, with why', async () => {
		expect(await registry().port.manifestDigest({registry: 'public.ecr.aws', repository: 'a/b', tag: '9.9.9'})).toEqual({unknown: 'public.ecr.aws has no tag 9.9.9 of a/b'});
		expect(await registry({tokenStatus: 401}).port.manifestDigest({registry: 'public.ecr.aws', repository: 'a/b', tag: '2.32.4'})).toEqual({unknown: expect.stringMatching(/gave no token without credentials/)});
		const offline = createRegistryPort({fetch: (async () => Promise.reject(Object.assign(new TypeError('fetch failed'), {cause: {code: 'ENOTFOUND'}}))) as typeof fetch});
		expect(await offline.manifestDigest({registry: 'ghcr.io', repository: 'a/b', tag: '1'})).toEqual({unknown: 'ghcr.io could not be reached (ENOTFOUND)'});
	});

	test('Docker Hub names: registry-1.docker.io, official images under library/', () => {
		expect(locate('docker.io', 'nginx')).toEqual({host: 'registry-1.docker.io', path: 'library/nginx'});
		expect(locate('docker.io', 'bitnami/redis')).toEqual({host: 'registry-1.docker.io', path: 'bitnami/redis'});
		expect(locate('ghcr.io/', 'org/app')).toEqual({host: 'ghcr.io', path: 'org/app'});
		expect(parseChallenge('Basic realm="x"')).toBeUndefined();
		expect(parseChallenge('Bearer realm="http://insecure/token"')).toBeUndefined();
	});
});
