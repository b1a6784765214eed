import {Box, Text} from 'ink';
import {useEffect, useMemo, useReducer, useState} from 'react';
import type {ImageTags} from '../../../engine/image-tags.js';
import {printable} from '../../../domain/text.js';
import type {RecipeSummary} from '../../catalog.js';
import {useRecipe} from '../../hooks/use-recipes.js';
import {matches, textCommands} from '../../input/keymap.js';
import {useKeys} from '../../input/use-keys.js';
import {startDeploy, targetOf} from '../../runs/start-run.js';
import {useCommands, useServices} from '../../services.js';
import {TagList} from './tag-list.js';
import {VersionStep} from './version-step.js';
import {initialPicker, pickerReducer} from './use-release-picker.js';

type Props = {file: string; mode: 'deploy' | 'create'; environment?: string; height: number; width: number};

/**
 * Picks a release: for each image, a tag from ECR (newest first by semver, pre-releases marked, the channel's
 * filter applied, the default the newest stable tag the channel allows); then the version (suggested,
 * editable, checked) and notes; creates it; then, to deploy, the environment — and hands over to the engine,
 * whose change preview and questions come as dialogs, and to the live view.
 */
export function ReleasePickerScreen({file, mode, environment: preselected, height, width}: Props) {
	const services = useServices();
	const {engine, catalog, navigate, flash} = services;
	const recipe = useRecipe(catalog, file);
	const [state, dispatch] = useReducer(pickerReducer, undefined, initialPicker);
	const [tags, setTags] = useState<Record<string, ImageTags | {problem: string}>>({});
	const [environmentIndex, setEnvironmentIndex] = useState(0);
	const document = recipe && recipe !== 'loading' ? recipe.document : undefined;
	const refs = useMemo(() => Object.keys(document?.images ?? {}), [document]);
	const ref = refs[state.image];
	const existing = useMemo(() => (engine && document ? engine.storedReleases(document.name).map(r => r.version) : []), [engine, document, state.step]);
	const environments = recipe && recipe !== 'loading' ? recipe.environments : [];
	useCommands(state.step === 'tags' ? [] : state.step === 'version' ? ['choose', 'nextField', 'previousField', 'back', ...textCommands] : ['environmentUp', 'environmentDown', 'choose', 'back']);

	// Each image's tags, listed once from ECR on the target of the environment the release is for.
	useEffect(() => {
		if (!engine || !document || ref === undefined || tags[ref]) return;
		const target = targetOf(engine, preselected ?? environments[0] ?? 'dev');
		if ('error' in target) return setTags(t => ({...t, [ref]: {problem: target.error}}));
		let live = true;
		engine.imageTags(document, ref, undefined, target).then(
			found => live && setTags(t => ({...t, [ref]: 'problem' in found ? {problem: found.problem.message} : found})),
			(cause: unknown) => live && setTags(t => ({...t, [ref]: {problem: cause instanceof Error ? cause.message : String(cause)}})),
		);
		return () => {
			live = false;
		};
	}, [engine, document, ref]);

	useEffect(() => {
		if (preselected !== undefined && environments.includes(preselected)) setEnvironmentIndex(environments.indexOf(preselected));
	}, [environments.join(','), preselected]);

	// Creating the release, once the version is accepted.
	useEffect(() => {
		if (state.step !== 'creating' || !engine || !document) return;
		const target = targetOf(engine, preselected ?? environments[0] ?? 'dev');
		if ('error' in target) return dispatch({type: 'failed', problem: target.error});
		engine.createRelease(document, {tags: state.tags, version: state.version, ...(state.notes ? {notes: state.notes} : {})}, target).then(
			made => {
				if ('problems' in made) return dispatch({type: 'failed', problem: made.problems.map(p => `${p.path}: ${p.message}`).join('; ')});
				flash(`created release ${made.release.version} of ${document.name}`);
				if (mode === 'create') navigate({type: 'pop'});
				else dispatch({type: 'created'});
			},
			(cause: unknown) => dispatch({type: 'failed', problem: cause instanceof Error ? cause.message : String(cause)}),
		);
	}, [state.step]);

	useKeys(
		key => {
			if (state.step === 'version') {
				if (matches('nextField', key) || matches('previousField', key)) dispatch({type: 'switch-field'});
				else if (matches('choose', key)) dispatch({type: 'submit-version', existing});
				else if (matches('back', key)) dispatch({type: 'back'});
				else return false;
				return true;
			}
			if (state.step !== 'environment' || !recipe || recipe === 'loading' || !engine) return false;
			if (matches('environmentUp', key)) setEnvironmentIndex(i => Math.max(0, i - 1));
			else if (matches('environmentDown', key)) setEnvironmentIndex(i => Math.min(environments.length - 1, i + 1));
			else if (matches('choose', key)) deploy(recipe, environments[environmentIndex]!);
			else return false;
			return true;
		},
		{isActive: state.step === 'version' || state.step === 'environment'},
	);

	function deploy(project: RecipeSummary, environment: string) {
		if (!engine) return;
		const run = startDeploy(services, engine, {recipeFile: file, project: project.name ?? file, environment}, state.version);
		if ('error' in run) return flash(run.error);
		navigate({type: 'replace', route: {name: 'live', runId: run.id}});
	}

	if (recipe === 'loading' || !engine) return <Text dimColor>Loading…</Text>;
	if (!recipe || !document) return <Text color="red">{file} cannot be read.</Text>;
	const title = `${mode === 'deploy' ? 'Deploy' : 'Create a release of'} ${printable(document.name)}`;
	const steps = ['tags', 'version', mode === 'deploy' ? 'environment' : undefined].filter(Boolean).join(' → ');
	return (
		<Box flexDirection="column" height={height}>
			<Text bold wrap="truncate">
				{title} <Text dimColor>({steps})</Text>
			</Text>
			{state.step === 'tags' && ref !== undefined ? (
				<TagList
					key={ref}
					refName={ref}
					index={state.image}
					total={refs.length}
					tags={tags[ref]}
					height={height - 3}
					width={width}
					onPick={tag => dispatch({type: 'pick-tag', ref, tag, refs, existing})}
					// Esc on the second image's tags: back to the first; on the first, the screen is left.
					onBack={() => state.image > 0 && (dispatch({type: 'back'}), true)}
				/>
			) : null}
			{state.step === 'version' || state.step === 'creating' ? <VersionStep state={state} refs={refs} existing={existing} width={width} onEdit={(field, value) => dispatch({type: 'edit', field, value})} /> : null}
			{state.step === 'environment' ? (
				<Box flexDirection="column" marginTop={1}>
					<Text>
						Release <Text color="green">{state.version}</Text> is created. Deploy it to:
					</Text>
					{environments.map((env, i) => (
						<Text key={env}>
							<Text color="cyan">{i === environmentIndex ? '❯ ' : '  '}</Text>
							{env.padEnd(14)}
							<Text dimColor>{i === 0 ? 'next in the promotion order' : `asks first unless ${environments[i - 1]} has run it`}</Text>
						</Text>
					))}
					<Text dimColor>Enter deploys: the change set is shown before anything changes.</Text>
				</Box>
			) : null}
		</Box>
	);
}
