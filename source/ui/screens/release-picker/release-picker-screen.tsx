import {Box, Text} from 'ink';
import {useEffect, useMemo, useReducer} from 'react';
import {printable} from '../../../domain/text.js';
import {errorMessage} from '../../format.js';
import {matches} from '../../input/keymap.js';
import {useKeys} from '../../input/use-keys.js';
import {startDeploy} from '../../runs/start-run.js';
import {useCommands, useServices} from '../../services.js';
import {ChannelLine, channelLineRows} from './channel-line.js';
import {EnvironmentStep} from './environment-step.js';
import {onChannel} from './picker-model.js';
import {ReleaseList} from './release-list.js';
import {TagList} from './tag-list.js';
import {TypedTag} from './typed-tag.js';
import {tagsKey, usePickerData} from './use-picker-data.js';
import {initialPicker, pickerReducer} from './release-picker-reducer.js';
import {VersionStep} from './version-step.js';

type Props = {file: string; mode: 'deploy' | 'create'; environment?: string; height: number; width: number};

/**
 * `d`: deploy a release. Starts from the project's releases (its ledger's, newest first, with where each
 * ran and how), on a channel (Tab or c switches; its rules shown); Enter on one goes to the environment
 * step, where the next environment of its lifecycle is preselected. `n` makes a new release: a tag per
 * image (from ECR, or typed for an image outside it), then the version (suggested, checked as typed) and
 * notes; the same images and configuration as an existing release offer that release instead. `c` opens
 * the new-release steps only (the release is then listed by `d`).
 */
export function ReleasePickerScreen({file, mode, environment: preselected, height, width}: Props) {
	const services = useServices();
	const {engine, navigate, flash} = services;
	const data = usePickerData(file, preselected);
	const {recipe, document, environments, channels, target, releases} = data;
	const [state, dispatch] = useReducer(pickerReducer, mode, initialPicker);
	const channel = channels[state.channel];
	const refs = useMemo(() => Object.keys(document?.images ?? {}), [document]);
	const ref = refs[state.image];
	const source = ref === undefined ? undefined : document?.images[ref];
	const rows = releases.state === 'ready' ? releases.rows : undefined;
	const taken = useMemo(() => (rows ?? []).map(r => r.version), [rows]);
	const shown = useMemo(() => (rows ?? []).filter(r => onChannel(r, channel, document)), [rows, channel, document]);
	const tags = ref === undefined ? undefined : data.tags[tagsKey(ref, channel)];
	const channelName = channel?.name;

	// No release at all yet: straight to the tags of a new one (Esc then leaves).
	useEffect(() => {
		if (mode === 'deploy' && state.step === 'releases' && rows?.length === 0) dispatch({type: 'new-release', from: 'start'});
	}, [rows, state.step]);

	// The tags of the image being picked, on the channel, once (an image outside ECR is typed instead).
	useEffect(() => {
		if (state.step === 'tags' && ref !== undefined && source?.registry === undefined) data.readTags(ref, channel);
	}, [state.step, ref, channel, engine, document, target]);

	// The engine's answers: what the tags would make, the release made (or found), a release from today's recipe.
	useEffect(() => {
		if (!engine || !document || !target) return;
		if ('error' in target) {
			if (state.step === 'planning' || state.step === 'creating' || state.step === 'liking') dispatch({type: 'failed', problem: target.error});
			return;
		}
		const fail = (cause: unknown) => dispatch({type: 'failed', problem: errorMessage(cause)});
		const channelPart = channelName === undefined ? {} : {channel: channelName};
		if (state.step === 'planning') {
			engine.planRelease(document, {tags: state.tags, ...channelPart}, target).then(plan => {
				if (mode === 'create' && 'existing' in plan) {
					flash(`release ${plan.existing.version} already pins these images with this configuration: not made again (d deploys it)`);
					return navigate({type: 'pop'});
				}
				dispatch({type: 'planned', plan, taken});
			}, fail);
		} else if (state.step === 'creating') {
			// The suggestion left as it is: the engine takes the next free version if someone took it meanwhile.
			const version = state.version === state.suggested ? {} : {version: state.version};
			engine.createRelease(document, {tags: state.tags, ...version, ...channelPart, ...(state.notes ? {notes: state.notes} : {})}, target).then(made => {
				if ('problems' in made) return dispatch({type: 'failed', problem: made.problems.map(p => p.message).join('; ')});
				data.reload();
				if (mode === 'create') {
					flash(made.existing ? `release ${made.release.version} already pins these images: not made again (d deploys it)` : `created release ${made.release.version} of ${document.name} (d deploys it)`);
					return navigate({type: 'pop'});
				}
				if (!made.existing) flash(`created release ${made.release.version} of ${document.name}`);
				dispatch({type: 'created', version: made.release.version, ...(made.release.channel === undefined ? {} : {channel: made.release.channel}), ...(made.existing ? {existing: true} : {})});
			}, fail);
		} else if (state.step === 'liking' && state.release !== undefined) {
			engine.releaseLike(document, state.release, {}, target).then(made => {
				if ('problems' in made) return dispatch({type: 'failed', problem: made.problems.map(p => p.message).join('; ')});
				data.reload();
				if (!made.existing) flash(`created release ${made.release.version} from today's recipe`);
				dispatch({type: 'created', version: made.release.version, ...(made.release.channel === undefined ? {} : {channel: made.release.channel}), ...(made.existing ? {existing: true} : {})});
			}, fail);
		}
	}, [state.step]);

	useKeys(
		key => {
			if (matches('nextField', key) || matches('previousField', key)) dispatch({type: 'switch-field'});
			else if (matches('choose', key)) dispatch({type: 'submit-version', taken});
			else if (matches('back', key)) dispatch({type: 'back'});
			else return false;
			return true;
		},
		{isActive: state.step === 'version'},
	);
	// While the engine works, Esc goes back (its answer is then dropped by the reducer).
	useKeys(key => (matches('back', key) ? (dispatch({type: 'back'}), true) : false), {isActive: state.step === 'planning'});

	const back = () => {
		if (state.step === 'tags' && state.image === 0 && state.tagsFrom === 'start') return false;
		dispatch({type: 'back'});
		return true;
	};
	const switchChannel = () => dispatch({type: 'switch-channel', count: channels.length});
	function deploy(environment: string) {
		if (!engine || !recipe || recipe === 'loading' || state.release === undefined) return;
		void startDeploy(services, engine, {recipeFile: file, project: recipe.name ?? file, environment}, state.release).then(run => {
			if ('error' in run) return flash(run.error);
			navigate({type: 'replace', route: {name: 'live', runId: run.id}});
		});
	}

	if (recipe === 'loading' || !engine) return <Text dimColor>Loading…</Text>;
	if (!recipe || !document) return <Text color="red">{file} cannot be read.</Text>;
	const making = state.step !== 'releases' && !(state.step === 'environment' && state.environmentFrom === 'releases');
	const title = `${mode === 'deploy' ? 'Deploy' : 'Create a release of'} ${printable(document.name)}`;
	const steps = making ? ['tags', 'version', mode === 'deploy' ? 'environment' : undefined] : ['release', 'environment'];
	const withChannel = state.step === 'releases' || state.step === 'tags';
	const body = height - 1 - (withChannel ? channelLineRows(channel, channels.length, width) : 0);
	return (
		<Box flexDirection="column" height={height}>
			<Text bold wrap="truncate">
				{title} <Text dimColor>({steps.filter(Boolean).join(' → ')})</Text>
			</Text>
			{withChannel ? <ChannelLine channel={channel} count={channels.length} width={width} /> : null}
			{state.step === 'releases' ? (
				releases.state === 'ready' ? (
					<ReleaseList key={channelName ?? ''} rows={shown} recipe={document} environments={environments} channels={channels.length} height={body} width={width} onChoose={version => dispatch({type: 'choose-release', version})} onNew={() => dispatch({type: 'new-release', from: 'releases'})} onChannel={switchChannel} />
				) : (
					<ReleasesNotice load={releases} onNew={() => dispatch({type: 'new-release', from: 'releases'})} />
				)
			) : null}
			{state.step === 'tags' && ref !== undefined && source ? (
				source.registry !== undefined || (source.account !== undefined && tags !== undefined && tags !== 'reading' && 'problem' in tags) ? (
					<TypedTag
						key={`${channelName ?? ''}|${ref}`}
						refName={ref}
						source={source}
						index={state.image}
						total={refs.length}
						{...(tags !== undefined && tags !== 'reading' && 'problem' in tags ? {why: tags.problem} : {})}
						width={width}
						onPick={tag => dispatch({type: 'pick-tag', ref, tag, refs})}
						onBack={back}
						channels={channels.length}
						onChannel={switchChannel}
					/>
				) : (
					<TagList key={`${channelName ?? ''}|${ref}`} refName={ref} index={state.image} total={refs.length} tags={tags === 'reading' ? undefined : tags} height={body - (state.problem ? 1 : 0)} width={width} onPick={tag => dispatch({type: 'pick-tag', ref, tag, refs})} onBack={back} channels={channels.length} onChannel={switchChannel} />
				)
			) : null}
			{state.step === 'tags' && state.problem ? (
				<Text color="red" wrap="truncate">
					{printable(state.problem)}
				</Text>
			) : null}
			{state.step === 'planning' ? <Waiting text={`Checking the tags against the releases of ${printable(document.name)}…`} /> : null}
			{state.step === 'version' || state.step === 'creating' ? <VersionStep state={state} refs={refs} taken={taken} width={width} onEdit={(field, value) => dispatch({type: 'edit', field, value, taken})} /> : null}
			{(state.step === 'environment' || state.step === 'liking') && state.release !== undefined ? (
				<EnvironmentStep
					key={`${state.release}|${rows?.some(r => r.version === state.release) ? 'listed' : 'new'}`}
					version={state.release}
					row={rows?.find(r => r.version === state.release)}
					{...(state.releaseChannel === undefined ? {} : {releaseChannel: state.releaseChannel})}
					recipe={document}
					environments={environments}
					notice={state.notice}
					problem={state.problem}
					busy={state.step === 'liking'}
					height={body}
					width={width}
					onDeploy={deploy}
					onLike={() => dispatch({type: 'like'})}
					onBack={() => dispatch({type: 'back'})}
				/>
			) : null}
		</Box>
	);
}

/** The engine is asked something; Esc goes back (the screen's commands are this step's). */
function Waiting({text}: {text: string}) {
	useCommands(['back']);
	return <Text color="cyan">{text}</Text>;
}

function ReleasesNotice({load, onNew}: {load: {state: 'loading'} | {state: 'error'; message: string}; onNew(): void}) {
	useCommands(['newRelease', 'back']);
	useKeys(key => (matches('newRelease', key) ? (onNew(), true) : false));
	if (load.state === 'loading') return <Text dimColor>Reading the releases from the ledger…</Text>;
	return (
		<Text color="red" wrap="wrap">
			The releases cannot be read: {printable(load.message)} (n makes a new release)
		</Text>
	);
}
