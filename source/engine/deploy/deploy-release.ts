import {countWords, error as problem, hasErrors, type Problem} from '../../domain/problems.js';
import type {RecipeDocument} from '../../domain/recipe/schema.js';
import {secretEnvironmentVariable} from '../../domain/recipe/document-rules.js';
import {sameImagePins} from '../../domain/release-snapshot.js';
import {previousEnvironment, promotionOrder} from '../../domain/release-version.js';
import {buildTemplate} from '../../domain/template/build.js';
import type {DeploymentRecord, Target} from '../../domain/records.js';
import {callAws} from '../core/aws-call.js';
import {callContextFor, type EngineDeps} from '../core/deps.js';
import type {EngineHost} from '../core/host.js';
import {readRecipe, resolveParsed} from '../core/prepare.js';
import {openLedger, type Ledger} from '../releases/ledger.js';
import {channelOf, describeMaker, sameSnapshot} from '../releases/releases.js';
import {reasonsOf, type DeployResult, type RunStep} from '../core/results.js';
import {RunControl} from '../core/run-control.js';
import type {StackContext} from '../core/stack-context.js';
import {deployStack} from './stack-deploy.js';
import {preflightChecks, verifyBeforeDeploy} from './preflight.js';
import {buildBasis, movedTags, ranSuccessfully, resolveRelease} from './release-to-deploy.js';
import {resultFactory, resultForError, type ResultFactory, type RunInfo} from '../core/stack-results.js';

export type DeployReleaseInput = {
	recipeFile: string;
	environment: string;
	target: Target;
	/** A release made earlier (stored, or known from a stack's tags). */
	release?: string;
	/** Image tags by image ref: a release is made (and stored) for them. */
	images?: Record<string, string>;
	/** The version of the release made from `images`. @default the first image's tag (when semver), else the next patch */
	releaseVersion?: string;
	/** The channel of the release made from `images`. @default the recipe's default channel */
	channel?: string;
	/** Show the change set and stop. */
	preview?: boolean;
	/** Fail instead of waiting when another operation runs on the stack. */
	noWaitForBusy?: boolean;
	/** Overrides the recipe's wait option. */
	wait?: {mode: 'none'} | {mode: 'complete'} | {mode: 'timeout'; timeoutMinutes: number};
	/** A rollback goes back to a release that already ran here: the promotion order does not apply. */
	purpose?: 'deploy' | 'rollback';
	/** How to re-attach, as the operator would type it (already shell-quoted). */
	reattach: string;
	/** Approve a deployment waiting at its approval gate by itself after this many minutes (`--approve-after`). */
	approveAfterMinutes?: number;
	/** Do not run the recipe's beforeDeploy tasks (`--skip-before-deploy`): a warning says they were skipped. */
	skipBeforeDeploy?: boolean;
	/** false: the pre-flight verify checks everything again, even what passed a few minutes ago (`--no-verify-cache`). @default true */
	verifyCache?: boolean;
};

/** A deploy in progress: its result, and the controls the faces offer (`d` detach, `c` cancel, Ctrl+C). */
export type DeployRun = {
	readonly result: Promise<DeployResult>;
	readonly control: RunControl;
	detach(): void;
	cancel(): void;
};

/**
 * Deploys a release of a recipe to an environment: resolves the release (a stored one, or image tags that
 * must exist in ECR), applies the channel's rules and the promotion order (asking when it is not kept),
 * checks that pinned tags did not move (asking when they did), asks for sensitive values, builds the
 * template, applies it through a change set (asking first), follows CloudFormation and ECS to the end and
 * records the deployment. Reports through the host; ends with a `deploy.end` event carrying the result.
 */
export function deployRelease(input: DeployReleaseInput, deps: EngineDeps, host: EngineHost): DeployRun {
	return startRun(control => deployWith(control, input, deps, host));
}

/** Starts a run: the controls exist at once, so a face can detach or cancel before the first AWS call returns. */
export function startRun(body: (control: RunControl) => Promise<DeployResult>): DeployRun {
	const control = new RunControl();
	const result = body(control);
	return {result, control, detach: () => control.detach(), cancel: () => control.cancel()};
}

/** The deploy, on controls the caller made (a rollback first picks the release, then deploys on the same controls). */
export async function deployWith(control: RunControl, input: DeployReleaseInput, deps: EngineDeps, host: EngineHost): Promise<DeployResult> {
	const info: RunInfo = {project: '', environment: input.environment, startedAt: deps.clock.now(), clock: deps.clock, step: 'recipe'};
	const step = (next: RunStep) => {
		info.step = next;
		host.notify({code: 'step', step: next});
	};
	const results = (): ResultFactory => resultFactory(info);
	const finish = (result: DeployResult) => {
		host.notify({code: 'deploy.end', result});
		return result;
	};
	let record: DeploymentRecord | undefined;
	let base: DeploymentRecord | undefined;
	// Records are written one after the other (an S3 ledger updates a record over the version it wrote last).
	const book: RecordWriter = {ledger: undefined, writes: Promise.resolve(), host};
	try {
		const result = await deploySteps(control, input, deps, host, {info, step, results, book, started: (made, starting) => ((base = made), (record = starting))});
		if (record || ((result.outcome === 'no-op' || result.outcome === 'unconfirmed') && base)) await recordEnd(deps, book, record ?? {...base!, outcome: result.outcome}, result);
		else if (base && recordedWithoutOperation.has(result.outcome)) await recordEnd(deps, book, {...base, outcome: result.outcome}, result);
		return finish(result);
	} catch (error) {
		// Whatever happened, the run ends with a result the faces show, and the record says how it ended.
		const ended = resultForError(error, results(), input.reattach, info.step ?? 'recipe');
		if (record) await recordEnd(deps, book, record, ended);
		else if (base && recordedWithoutOperation.has(ended.outcome)) await recordEnd(deps, book, {...base, outcome: ended.outcome}, ended);
		return finish(ended);
	}
}

/** Where a run's records go, and the writes in flight (one after the other). */
type RecordWriter = {ledger: Ledger | undefined; writes: Promise<void>; host: EngineHost};

/** Writes a record after the earlier writes; a record that cannot be written is a warning, never the end of a deploy (AWS goes on). */
function writeRecord(book: RecordWriter, record: DeploymentRecord): Promise<void> {
	const ledger = book.ledger;
	if (!ledger) return book.writes;
	book.writes = book.writes.then(() =>
		ledger.recordDeployment(record).catch((cause: unknown) => {
			book.host.notify({code: 'warning', message: `the deployment record could not be written to ${ledger.where}: ${cause instanceof Error ? cause.message : String(cause)}`});
		}),
	);
	return book.writes;
}

/**
 * Outcomes recorded even when no stack operation started: the deploy was attempted and did not happen
 * (a pre-flight check failed, an error), so history lists it. Bad input, previews and questions answered
 * no are not deployments.
 */
const recordedWithoutOperation: ReadonlySet<DeployResult['outcome']> = new Set(['failed', 'error', 'stuck', 'busy']);

type RunSteps = {
	info: RunInfo;
	book: RecordWriter;
	step: (next: RunStep) => void;
	results: () => ResultFactory;
	/** The record a deployment gets (`base`, once the stack is known), and the one written when AWS starts changing. */
	started: (base: DeploymentRecord, starting?: DeploymentRecord) => void;
};

async function deploySteps(control: RunControl, input: DeployReleaseInput, deps: EngineDeps, host: EngineHost, run: RunSteps): Promise<DeployResult> {
	const {info, step, results} = run;
	const invalid = (problems: Problem[], message = `cannot deploy to ${input.environment}: ${countWords(problems)}; nothing was changed in AWS`) => results().make({outcome: 'invalid', problems, message});

	// 1. The recipe (read once), checked before AWS is touched (the account is only known after STS).
	// Image tags and the version are not known yet: placeholders let every field that uses them resolve. A
	// release made earlier is built from the recipe it keeps: today's file is checked once that is known.
	const read = await readRecipe(input.recipeFile, deps.files);
	if ('problems' in read) return invalid(read.problems);
	const {file} = read;
	const recipe = file.recipe;
	if (!recipe) return invalid(file.problems);
	info.project = recipe.name;
	const today = {recipe, lineOf: file.lineOf};
	if (input.release === undefined) {
		const early = resolveParsed(today, {environment: input.environment, target: {name: input.target.name, cluster: input.target.cluster, region: input.target.region}, releaseVersion: input.releaseVersion ?? '0.0.0', images: placeholderImages(input, recipe)});
		// An image's registry account is only known once STS has answered: not a problem yet.
		const accountLater = (p: Problem) => p.kind === 'unknown-value' && p.needs !== undefined && p.needs.startsWith('Image.') && !p.needs.endsWith('.Tag');
		const blocking = early.problems.filter(p => p.severity === 'error' && !accountLater(p) && !(p.path.startsWith('images.') && input.images === undefined));
		if (blocking.length > 0) return invalid(early.problems);
	}
	if (input.release !== undefined && input.images !== undefined && Object.keys(input.images).length > 0) {
		return invalid([problem('--release', 'give either a release or image tags, not both')]);
	}

	step('connect');
	const aws = await deps.awsFor(input.target);
	const call = callContextFor(deps, input.target, aws, host, control);
	const accountId = (await callAws(call, 'GetCallerIdentity', () => aws.sts.getCallerIdentity({}))).Account;

	// 2. The release, from the project's ledger (or AWS), and the recipe it is built from.
	step('release');
	const ledger = await openLedger(deps, recipe, input.target, host);
	run.book.ledger = ledger;
	const release = await resolveRelease(input, recipe, deps, aws, call, host, ledger);
	if ('problems' in release) return invalid(release.problems);
	const basis = buildBasis(release, recipe, file.lineOf);
	if ('problems' in basis) return invalid(basis.problems);
	info.release = {...release.view, builtFrom: basis.builtFrom, ...(basis.changes.length > 0 ? {recipeChanges: basis.changes} : {})};
	host.notify({code: 'release', release: info.release});
	for (const warning of basis.warnings) host.notify({code: 'warning', message: warning});
	const made = basis.parsed.recipe;
	if (!made.environments.some(e => e.name === input.environment)) {
		return invalid([problem('--env', `release ${release.view.version} was made when the recipe had no environment ${input.environment} (it had ${made.environments.map(e => e.name).join(', ')}); make a new release from today's recipe (ecs-deployer release create) to deploy there`)]);
	}

	// 3. The channel's environments (the release's lifecycle).
	const channel = channelOf(made, release.view);
	if (channel?.environments !== undefined && !channel.environments.includes(input.environment)) {
		return invalid([problem('--env', `release ${release.view.version} is on channel ${channel.name}, which deploys only to ${channel.environments.join(', ')}`)]);
	}

	// 4. The recipe for this environment, release and account; the template.
	const prepared = resolveParsed(basis.parsed, {
		environment: input.environment,
		images: release.view.images,
		releaseVersion: release.view.version,
		target: {name: input.target.name, cluster: input.target.cluster, region: input.target.region, ...(accountId === undefined ? {} : {accountId})},
	});
	if (!prepared.resolved || hasErrors(prepared.problems)) {
		return invalid(basis.builtFrom === 'snapshot' ? prepared.problems.map(p => ({...p, message: `${p.message} (in the recipe release ${release.view.version} keeps)`})) : prepared.problems);
	}
	const built = buildTemplate(prepared.resolved);
	info.stackName = built.stackName;
	if (built.imageParametersWithoutDefault.length > 0) {
		return invalid([problem('--image', `choose a tag for every image (missing: ${built.imageParametersWithoutDefault.join(', ')}); for example --image web=1.4.2`)]);
	}
	const context: StackContext = {...call, aws, cluster: input.target.cluster, newId: deps.newId, resolved: prepared.resolved, reattach: input.reattach, onStep: step, ...(input.approveAfterMinutes === undefined ? {} : {approveAfterMs: input.approveAfterMinutes * 60_000})};
	host.notify({
		code: 'deploy.start',
		project: recipe.name,
		environment: input.environment,
		stackName: built.stackName,
		releaseVersion: release.view.version,
		target: {name: input.target.name, region: input.target.region, cluster: input.target.cluster, sandbox: Boolean(input.target.sandbox), ...(accountId === undefined ? {} : {accountId})},
	});
	for (const p of prepared.problems) host.notify({code: 'warning', message: `${p.path}: ${p.message}`});
	const base: DeploymentRecord = {id: deps.newId(), project: recipe.name, environment: input.environment, version: release.view.version, target: input.target.name, stackName: built.stackName, startedAt: new Date(info.startedAt).toISOString(), outcome: 'in progress', ...(deps.actor ? {by: deps.actor} : {})};
	if (!input.preview) {
		run.started(base);
		// A release made for this deploy is a snapshot of its own, created in the ledger whether or not the deploy
		// gets through (history lists it), and once: another operator may have made the same version meanwhile.
		if (release.save) {
			const stored = await ledger.createRelease(release.save);
			if ('exists' in stored && !(sameImagePins(stored.exists.images, release.save.images) && sameSnapshot(stored.exists, recipe))) {
				return invalid([problem('--release-version', `release ${release.save.version} was just created by someone else${describeMaker(stored.exists)} with other images or configuration; nothing was changed (deploy again, or give --release-version)`)]);
			}
		}
	}

	// 5. Pre-flight: nothing touches the stack until the cluster is there and the template is accepted (the
	// pre-flight verify of what the recipe names follows once the images are settled, step 8).
	step('preflight');
	const preflight = await preflightChecks(context, input.target, built);
	if (preflight) {
		host.notify({code: 'failure', reasons: [preflight]});
		return results().make({outcome: 'failed', reasons: [preflight], changes: [], message: `pre-flight check failed, nothing was changed: ${preflight.message}`});
	}

	// 6. The promotion order (the channel's lifecycle): the environment before this one must have run the release.
	if ((input.purpose ?? 'deploy') === 'deploy') {
		const before = previousEnvironment(promotionOrder(made.environments.map(e => e.name), channel), input.environment);
		if (before !== undefined && !(await ranSuccessfully(context, deps, recipe, before, release.view.version, input.target))) {
			const go = await host.request({
				kind: 'confirm',
				id: 'skip-lifecycle',
				message: `Release ${release.view.version} has not run successfully in ${before}, which comes before ${input.environment}. Deploy it to ${input.environment} anyway?`,
				defaultAnswer: false,
				flag: '--skip-lifecycle',
			});
			if (!go) return results().declined('skip-lifecycle', '--skip-lifecycle', `release ${release.view.version} has not been deployed successfully to ${before}, which comes before ${input.environment}; deploy it there first (or skip the promotion order with --skip-lifecycle)`);
		}
	}

	// 7. Tags that moved since the release pinned them.
	if (release.view.source !== 'new') {
		const moved = await movedTags(context, made, release.view);
		if ('problems' in moved) return invalid(moved.problems);
		if (moved.length > 0) {
			for (const m of moved) host.notify({code: 'warning', message: m});
			const go = await host.request({kind: 'confirm', id: 'allow-moved-tags', message: `Image tags moved since release ${release.view.version} was made. Deploy the images the tags point at now?`, detail: moved, defaultAnswer: false, flag: '--allow-moved-tags'});
			if (!go) return results().declined('allow-moved-tags', '--allow-moved-tags', 'image tags moved since the release was made; nothing was changed (create a new release, or deploy anyway with --allow-moved-tags)');
		}
	}

	// 8. The pre-flight verify, once the images are settled (a moved or deleted tag is said above, more precisely):
	// what the recipe names (roles, network, target groups, secrets, image platforms) is there and usable.
	const verified = await verifyBeforeDeploy(context, deps, input, accountId);
	if (verified.length > 0) {
		host.notify({code: 'failure', reasons: verified});
		const first = verified[0]!;
		return results().make({outcome: 'failed', reasons: verified, changes: [], message: `pre-flight verify failed, nothing was changed: ${first.subject}: ${first.message}${verified.length > 1 ? ` (and ${verified.length - 1} more)` : ''}`});
	}

	// 9. Sensitive values given at deploy time.
	const secretValues: Record<string, string> = {};
	for (const {parameter, variable} of built.secretParameters) {
		const value = await host.request({
			kind: 'enter',
			id: 'secret-value',
			key: variable,
			sensitive: true,
			message: `Value of the sensitive variable ${variable}`,
			defaultAnswer: undefined,
			flag: secretEnvironmentVariable(variable),
			validate: v => (v === '' ? 'a value is needed' : undefined),
		});
		if (value === '') return invalid([problem(`variables.${variable}`, `is sensitive and has no value: give it when asked, or set ${secretEnvironmentVariable(variable)}`)]);
		secretValues[parameter] = value;
	}

	// 10. Apply and follow; record once AWS starts changing.
	return deployStack(
		context,
		built,
		{
			...(input.preview ? {preview: true} : {}),
			...(input.noWaitForBusy ? {noWaitForBusy: true} : {}),
			...(input.skipBeforeDeploy ? {skipBeforeDeploy: true} : {}),
			...(input.wait ? {wait: input.wait} : {}),
			secretValues,
			onExecute: ({token, stackId}) => {
				const starting: DeploymentRecord = {...base, outcome: 'in progress', token, stackId};
				run.started(base, starting);
				void writeRecord(run.book, starting);
			},
		},
		results(),
	);
}

/** The image tags given, or a placeholder tag for every image of the recipe. */
function placeholderImages(input: DeployReleaseInput, recipe: RecipeDocument): Record<string, {tag: string}> {
	if (input.images !== undefined && Object.keys(input.images).length > 0) return Object.fromEntries(Object.entries(input.images).map(([ref, tag]) => [ref, {tag}]));
	return Object.fromEntries(Object.keys(recipe.images).map(ref => [ref, {tag: '0.0.0'}]));
}

async function recordEnd(deps: EngineDeps, book: RecordWriter, record: DeploymentRecord, result: DeployResult): Promise<void> {
	const reason = reasonsOf(result)[0]?.message ?? (result.outcome === 'error' || result.outcome === 'unconfirmed' ? result.message : undefined);
	const {outcome} = result;
	await writeRecord(book, {
		...record,
		outcome,
		...(outcome === 'detached' || outcome === 'started' ? {} : {finishedAt: new Date(deps.clock.now()).toISOString()}),
		...(result.stackStatus ? {stackStatus: result.stackStatus} : {}),
		...(reason ? {reason} : {}),
	});
}
