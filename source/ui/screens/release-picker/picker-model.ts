import type {ChannelEntry, RecipeDocument} from '../../../domain/recipe/schema.js';
import {promotionOrder} from '../../../domain/release-version.js';
import type {ReleaseRow} from '../../../engine/history/history.js';

/*
 * What the deploy screen shows, as pure functions: the channels to switch between and their rules, the
 * releases of a channel, where each release ran and how, and the environment its lifecycle goes to next.
 */

/** A channel the picker can be on: a recipe's channel, or none (a recipe without channels, or without a default). */
export type ChannelChoice = ChannelEntry | undefined;

/** The channels to switch between: the recipe's (its default first); "no channel" first when none is the default. */
export function channelChoices(recipe: Pick<RecipeDocument, 'channels'> | undefined): ChannelChoice[] {
	const channels = recipe?.channels ?? [];
	if (channels.length === 0) return [undefined];
	const fallback = channels.find(c => c.default);
	return fallback ? [fallback, ...channels.filter(c => c !== fallback)] : [undefined, ...channels];
}

/** A channel's rules in words: `pre-releases /^(beta|rc)/ (worker) · only to dev, staging`. */
export function channelRules(channel: ChannelChoice): string {
	if (!channel) return 'no channel: every tag, every environment';
	const tags = [channel.versionRange === undefined ? '' : `versions ${channel.versionRange}`, channel.prereleaseTag === undefined ? '' : channel.prereleaseTag === '^$' ? 'no pre-releases' : `pre-releases /${channel.prereleaseTag}/`]
		.filter(Boolean)
		.join(', ');
	const images = channel.images === undefined ? '' : ` (${channel.images.join(', ')})`;
	const where = channel.environments === undefined ? 'to every environment' : `only to ${channel.environments.join(', ')}`;
	return `${tags ? `${tags}${images}` : 'every tag'} · ${where}`;
}

/** Whether a release is on a channel: its own, or (when it names none) the recipe's default. */
export function onChannel(release: Pick<ReleaseRow, 'channel'>, channel: ChannelChoice, recipe: Pick<RecipeDocument, 'channels'> | undefined): boolean {
	const own = release.channel ?? recipe?.channels?.find(c => c.default)?.name;
	return own === channel?.name;
}

/** The channel a release deploys by (its own, else the recipe's default). */
export function channelOfRelease(release: Pick<ReleaseRow, 'channel'> | undefined, recipe: Pick<RecipeDocument, 'channels'> | undefined): ChannelChoice {
	const name = release?.channel;
	return name === undefined ? recipe?.channels?.find(c => c.default) : recipe?.channels?.find(c => c.name === name);
}

/** The environments a release of a channel goes through, in order (a hotfix channel may skip earlier ones). */
export function lifecycle(environments: readonly string[], channel: ChannelChoice): string[] {
	return promotionOrder(environments, channel);
}

/** How a release's last deployment to each environment ended, and when. */
export type EnvironmentOutcome = {outcome: string; at: string; by?: string; runsNow: boolean};

/** The last outcome of a release in each environment (from the ledger's records, reconciled with AWS). */
export function outcomesByEnvironment(row: Pick<ReleaseRow, 'outcomes' | 'deployedTo'> | undefined): Map<string, EnvironmentOutcome> {
	const found = new Map<string, EnvironmentOutcome>();
	if (!row) return found;
	for (const o of row.outcomes) found.set(o.environment, {outcome: o.outcome, at: o.at, ...(o.by ? {by: o.by} : {}), runsNow: false});
	for (const d of row.deployedTo) {
		const known = found.get(d.environment);
		// ECS runs it there, whether or not this ledger recorded how it got there.
		found.set(d.environment, known ? {...known, runsNow: true} : {outcome: d.serving ? 'succeeded' : 'unknown', at: '', runsNow: true});
	}
	return found;
}

/** Outcomes after which a release served an environment: the promotion order counts these. */
const served: ReadonlySet<string> = new Set(['succeeded', 'no-op']);

/**
 * The environment a release goes to next: the one after the last environment of its lifecycle it served;
 * the first when it served none; undefined when it served the last one.
 */
export function nextEnvironment(order: readonly string[], outcomes: ReadonlyMap<string, EnvironmentOutcome>): string | undefined {
	let last = -1;
	order.forEach((env, i) => {
		if (served.has(outcomes.get(env)?.outcome ?? '')) last = i;
	});
	return order[last + 1];
}

/** Whether a release served an environment (its promotion order lets the next one go without asking). */
export function servedIn(outcomes: ReadonlyMap<string, EnvironmentOutcome>, environment: string): boolean {
	return served.has(outcomes.get(environment)?.outcome ?? '');
}
