import semver from 'semver';

/**
 * The version of a new release when none is given: the primary image's tag when it is semver and not used
 * yet, otherwise the newest existing release with its patch incremented (0.0.1 for the first).
 */
export function defaultReleaseVersion(primaryTag: string | undefined, existing: readonly string[]): string {
	const fromTag = primaryTag === undefined ? null : semver.valid(primaryTag.replace(/^v(?=\d)/, ''));
	if (fromTag && !existing.includes(fromTag)) return fromTag;
	const newest = existing.filter(v => semver.valid(v)).sort(semver.rcompare)[0];
	if (!newest) return '0.0.1';
	const parsed = semver.parse(newest)!;
	// 1.4.0-rc.1 → 1.4.0-rc.2 would surprise; always step to the next plain patch after the newest.
	return `${parsed.major}.${parsed.minor}.${parsed.patch + 1}`;
}

/**
 * The lifecycle a release follows: the recipe's environments in order, or only those of its channel (a
 * hotfix channel limited to production goes straight there: no earlier environment must have run it).
 */
export function promotionOrder(environments: readonly string[], channel?: {environments?: readonly string[] | undefined}): string[] {
	const allowed = channel?.environments;
	return allowed === undefined ? [...environments] : environments.filter(e => allowed.includes(e));
}

/** The environment before `environment` in promotion order, if any. */
export function previousEnvironment(order: readonly string[], environment: string): string | undefined {
	const index = order.indexOf(environment);
	return index > 0 ? order[index - 1] : undefined;
}
