import {hash} from 'node:crypto';
import type {ImageData, SandboxState} from './state.js';

/**
 * Tag histories for the repositories of the example recipes: releases, pre-releases, tags that are not
 * semver, and the tags that show what failures look like. `orders-api` also has 3,200 build tags, so
 * listing pages through DescribeImages like a busy real repository.
 */
export const failureTags = {
	/** The container prints an error and exits 1: a crash loop the circuit breaker rolls back. */
	crashLoop: '1.4.1-crashloop',
	/** The container is killed for using too much memory (exit 137). */
	outOfMemory: '1.4.1-oom',
	/** The container's health check keeps failing. */
	unhealthy: '1.4.1-unhealthy',
	/** The image is in ECR but cannot be pulled (built for another platform). */
	unpullable: '1.4.1-unpullable',
	/** The update fails and its rollback fails too: the stack ends UPDATE_ROLLBACK_FAILED. */
	stuckRollback: '1.4.1-stuck-rollback',
	/** A healthy release whose tasks take about ten minutes to start: time to try detach, cancel and timeouts. */
	slow: '1.4.1-slow',
	/** A release whose one-off tasks (its beforeDeploy migration) fail: exit 2 with a migration error. Its service tasks are healthy. */
	failingMigration: '1.4.1-migration-fails',
} as const;

const releases = ['1.0.0', '1.0.1', '1.1.0', '1.2.0', '1.2.1', '1.3.0', '1.4.0-beta.1', '1.4.0-rc.2', '1.4.0'];

/** Digests of the seeded images, made once per process: every new account (and every read of a state file) seeds ECR. */
const digests = new Map<string, string>();

function digestOf(repository: string, tag: string): string {
	const name = `${repository}:${tag}`;
	let digest = digests.get(name);
	if (digest === undefined) {
		digest = `sha256:${hash('sha256', name)}`;
		digests.set(name, digest);
	}
	return digest;
}

/** An image while the seed is made (frozen after). */
type NewImage = {readonly digest: string; tags: string[]; pushedAt: number; size: number};

/**
 * A seeded image of `repository` tagged `tag` when seeded. Its digest (a hash of that name) is made when first
 * read: most calls read no image (a status read, a stack's events), and 3,300 hashes cost milliseconds.
 */
function seededImage(repository: string, tag: string, pushedAt: number, size: number): NewImage {
	return {
		get digest() {
			return digestOf(repository, tag);
		},
		tags: [tag],
		pushedAt,
		size,
	};
}

function history(repository: string, start: number): NewImage[] {
	const images: NewImage[] = [];
	const day = 86_400_000;
	releases.forEach((tag, i) => images.push(seededImage(repository, tag, start + i * 7 * day, 48_000_000 + i * 1_000_000)));
	const newest = images.at(-1)!;
	newest.tags.push('latest');
	for (const [i, hash] of ['3f9c2ab', 'a41d07e', 'c0ffee1'].entries()) images.push(seededImage(repository, hash, start + (60 + i) * day, 49_000_000));
	for (const [i, tag] of Object.values(failureTags).entries()) images.push(seededImage(repository, tag, start + (70 + i) * day, 49_500_000));
	return images;
}

/**
 * The repositories of the last few seed times asked for (frozen: shared by every state seeded at that time). A
 * few, not one: a process that works on several sandbox accounts at once (the CLI run in-process, the app with
 * a test's accounts) would otherwise make 3,300 images again on every read of each.
 */
const recent = new Map<number, Readonly<Record<string, readonly ImageData[]>>>();
const recentSeeds = 8;

/** The repositories ECR holds from the start (seeded). */
const seededRepositoryNames = ['hello-color', 'orders-api', 'invoice-worker', 'checkout-api'] as const;

/** The seeded repositories as seeded at `now`: made once for the last few times asked for. */
function seededAt(now: number): Readonly<Record<string, readonly ImageData[]>> {
	let repositories = recent.get(now);
	if (repositories === undefined) {
		repositories = seeded(now);
		if (recent.size >= recentSeeds) recent.delete(recent.keys().next().value!);
	} else {
		recent.delete(now);
	}
	// Most recently used last: the first key is the one to drop.
	recent.set(now, repositories);
	return repositories;
}

/**
 * Puts the seeded repositories into a state, as seeded at `now`. The images are a function of that time alone
 * (ECR in the sandbox is read-only: the lists are frozen and shared): the state file keeps the time
 * (`seededAt`), not the 3,300 images, and they are made when a repository is first read (a status read or a
 * deploy of an image outside ECR reads none).
 */
export function seedRepositories(state: SandboxState, now: number): void {
	state.seededAt = now;
	for (const name of seededRepositoryNames) {
		let images: readonly ImageData[] | undefined;
		Object.defineProperty(state.repositories, name, {enumerable: true, configurable: true, get: () => (images ??= seededAt(now)[name])});
	}
}

function seeded(now: number): Record<string, readonly ImageData[]> {
	const start = now - 120 * 86_400_000;
	const repositories: Record<string, NewImage[]> = {};
	for (const repository of seededRepositoryNames) repositories[repository] = history(repository, start);
	const builds = repositories['orders-api']!;
	for (let n = 0; n < 3200; n++) {
		const tag = `0.${Math.floor(n / 100)}.${n % 100}`;
		builds.push(seededImage('orders-api', tag, start - (3200 - n) * 3_600_000, 40_000_000));
	}
	for (const images of Object.values(repositories)) {
		for (const image of images) Object.freeze(Object.freeze(image).tags);
		Object.freeze(images);
	}
	return repositories;
}
