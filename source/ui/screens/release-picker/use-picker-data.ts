import {useEffect, useMemo, useState} from 'react';
import type {ReleaseRow} from '../../../engine/history/history.js';
import type {ImageTags} from '../../../engine/releases/image-tags.js';
import type {Engine} from '../../../engine/engine.js';
import type {Target} from '../../../domain/records.js';
import {errorMessage} from '../../format.js';
import {useRecipe} from '../../hooks/use-recipes.js';
import {targetOf} from '../../runs/start-run.js';
import {useServices} from '../../services.js';
import {channelChoices, type ChannelChoice} from './picker-model.js';

/** The project's releases as the picker reads them: from its ledger (a shared bucket too), with where each ran. */
export type ReleasesLoad = {state: 'loading'} | {state: 'ready'; rows: ReleaseRow[]} | {state: 'error'; message: string};

/** One image's tags on one channel: read once, from ECR. */
export type TagsLoad = ImageTags | {problem: string};

/** The target of an environment, or undefined when no target serves it (its stack cannot be read from here). */
export function targetFor(engine: Engine, environment: string): Target | undefined {
	const target = targetOf(engine, environment);
	return 'error' in target ? undefined : target;
}

/**
 * What the deploy screen reads: the recipe, its channels, the releases of the project's ledger (the
 * recipe's or target's S3 bucket, else this workspace; never only this machine's file when a ledger is
 * configured) with where each ran and how, and each image's tags per channel. `reload` reads the releases
 * again (after one was made).
 */
export function usePickerData(file: string, preselected: string | undefined) {
	const {engine, catalog} = useServices();
	// Today's recipe is read again when the screen opens (the file may have changed while another screen was
	// open): a release's snapshot is compared with it.
	useState(() => catalog.refresh?.());
	const recipe = useRecipe(catalog, file);
	const document = recipe && recipe !== 'loading' ? recipe.document : undefined;
	const environments = useMemo(() => (recipe && recipe !== 'loading' ? recipe.environments : []), [recipe]);
	const channels = useMemo<ChannelChoice[]>(() => channelChoices(document), [document]);
	// Releases, tags and new releases are read and made through the target of the environment the operator
	// came from (its account holds the images and, unless the recipe names a bucket, the ledger).
	// When several targets serve it, through the first in name order (the one a deploy to all of them starts with).
	const target = useMemo(() => {
		if (!engine) return undefined;
		const environment = preselected ?? environments[0] ?? 'dev';
		const picked = targetOf(engine, environment);
		return 'error' in picked && picked.several ? picked.several[0]! : picked;
	}, [engine, preselected, environments]);
	const [releases, setReleases] = useState<ReleasesLoad>({state: 'loading'});
	const [generation, setGeneration] = useState(0);
	const [tags, setTags] = useState<Record<string, TagsLoad | 'reading'>>({});

	useEffect(() => {
		if (!engine || !document) return;
		let live = true;
		// Where each release runs: on every target of every environment.
		engine.releases(document, environment => {
			const picked = engine.targetsFor(document, environment);
			return 'error' in picked ? undefined : picked.targets;
		}).then(
			rows => live && setReleases({state: 'ready', rows}),
			(cause: unknown) => live && setReleases({state: 'error', message: errorMessage(cause)}),
		);
		return () => {
			live = false;
		};
	}, [engine, document, generation]);

	/** Reads an image's tags on a channel, once (the key is `channel|ref`). */
	const readTags = (ref: string, channel: ChannelChoice) => {
		const key = tagsKey(ref, channel);
		if (!engine || !document || tags[key] || !target) return;
		if ('error' in target) return setTags(t => ({...t, [key]: {problem: target.error}}));
		// Asked once: the answer fills the entry.
		setTags(t => ({...t, [key]: 'reading'}));
		engine.imageTags(document, ref, channel?.name, target).then(
			found => setTags(t => ({...t, [key]: 'problem' in found ? {problem: found.problem.message} : found})),
			(cause: unknown) => setTags(t => ({...t, [key]: {problem: errorMessage(cause)}})),
		);
	};

	return {recipe, document, environments, channels, target, releases, tags, readTags, reload: () => setGeneration(g => g + 1)};
}

/** The key of an image's tags on a channel. */
export const tagsKey = (ref: string, channel: ChannelChoice): string => `${channel?.name ?? ''}|${ref}`;
