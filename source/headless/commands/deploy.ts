import {randomUUID} from 'node:crypto';
import type {AwsPorts} from '../../aws/ports.js';
import {classifyAwsError, describeAwsError} from '../../domain/aws-errors.js';
import {hasErrors} from '../../domain/problems.js';
import {buildTemplate} from '../../domain/template/build.js';
import {realClock, type Clock, type PollingOptions} from '../../engine/clock.js';
import {deploy, type DeployResult} from '../../engine/deploy.js';
import {parseImageChoices, prepareRecipe} from '../../engine/prepare.js';
import {exitCodes, type ExitCode} from '../../exit-codes.js';
import type {Output} from '../output.js';
import {createPrinter} from '../printer.js';
import {countWords, printProblems, type RecipeFlags} from './shared.js';
import {awsFailure, commandContext} from './release.js';
import {readRecipeFile} from '../../io/recipe-files.js';
import {previousEnvironment} from '../../domain/release-version.js';
import {isSuccess} from '../../domain/stack-status.js';
import {toolTagKeys} from '../../domain/template/tags.js';
import type {RecipeDocument} from '../../domain/recipe/schema.js';
import {callAws, type CallContext} from '../../engine/aws-call.js';
import {withoutSensitiveValues} from '../../engine/releases.js';
import type {WorkspaceStore} from '../../store/workspace-store.js';
import type {Release} from '../../store/types.js';
import {stackNameFor} from './history.js';

/** The recipe flags (without --account: deploys learn the account from STS), plus the deploy's own. */
export type DeployFlags = Omit<RecipeFlags, 'account'> & {
	preview?: boolean;
	yes?: boolean;
	recreate?: boolean;
	/** `--no-wait`: commander sets `wait: false`. */
	wait?: boolean;
	timeout?: string;
	cancelOnInterrupt?: boolean;
	/** Deploy a stored release (its images, tags and digests) instead of --image. */
	release?: string;
	allowMovedTags?: boolean;
	skipLifecycle?: boolean;
};

export type DeployEnvironment = {
	/** The AWS ports for the target (real or sandbox). */
	ports: (region: string) => AwsPorts;
	clock?: Clock;
	polling?: PollingOptions;
	signal?: AbortSignal;
	env?: NodeJS.ProcessEnv;
	/** Releases and deployment records; without it the deploy is not recorded. */
	store?: WorkspaceStore;
	/** The target's name, for the records. */
	targetName?: string;
};

/** `ecs-deployer deploy`: the headless deploy, with plain or JSON lines and meaningful exit codes. */
export async function deployCommand(flags: DeployFlags, output: Output, environment: DeployEnvironment): Promise<ExitCode> {
	const env = environment.env ?? process.env;
	const region = flags.region ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'];
	const problems = [];
	if (!flags.cluster) problems.push({path: '--cluster', message: 'name the ECS cluster to deploy to', severity: 'error' as const});
	if (!region) problems.push({path: '--region', message: 'name the AWS region (or set AWS_REGION)', severity: 'error' as const});
	const timeout = flags.timeout === undefined ? undefined : Number(flags.timeout);
	if (timeout !== undefined && !(Number.isInteger(timeout) && timeout >= 1 && timeout <= 1440)) {
		problems.push({path: '--timeout', message: `must be whole minutes from 1 to 1440 (got "${flags.timeout}")`, severity: 'error' as const});
	}
	const {images, problems: imageProblems} = parseImageChoices(flags.image ?? []);
	problems.push(...imageProblems);
	if (problems.length > 0 || !flags.cluster || !region) return badInput(output, flags, problems);

	// Check the recipe before touching AWS; the account (for #{Image.<ref>}) is only known after STS.
	let release: Release | undefined;
	if (flags.release !== undefined) {
		if ((flags.image ?? []).length > 0) return badInput(output, flags, [{path: '--release', message: 'give either --release or --image, not both', severity: 'error'}]);
		const file = await readRecipeFile(flags.recipe).catch(() => undefined);
		const project = file?.recipe?.name;
		const known = project && environment.store ? environment.store.releases(project) : [];
		release = known.find(r => r.version === flags.release);
		if (!release) {
			return badInput(output, flags, [{path: '--release', message: `there is no release ${flags.release}${project ? ` of ${project}` : ''} (releases: ${known.map(r => r.version).join(', ') || 'none'}); create it with ecs-deployer release create`, severity: 'error'}]);
		}
		Object.assign(images, release.images);
	}
	const primaryTag = Object.values(images)[0]?.tag;
	const releaseVersion = release?.version ?? flags.releaseVersion ?? primaryTag;
	const input = {recipeFile: flags.recipe, environment: flags.env, images, ...(releaseVersion === undefined ? {} : {releaseVersion})};
	const early = await prepareRecipe({...input, target: {cluster: flags.cluster, region}});
	const blocking = early.problems.filter(p => p.severity === 'error' && !p.message.includes('registry account'));
	if (blocking.length > 0) return badInput(output, flags, early.problems);

	const ports = environment.ports(region);
	let accountId: string | undefined;
	try {
		accountId = (await ports.sts.getCallerIdentity({})).Account;
	} catch (error) {
		const kind = classifyAwsError(error);
		output.note(`error: cannot use AWS in ${region}: ${describeAwsError(error)}`);
		if (kind === 'access' || kind === 'expired-credentials') output.note('check your credentials (AWS_PROFILE, --profile, or aws sso login) and try again');
		return exitCodes.awsAccess;
	}

	const prepared = await prepareRecipe({...input, target: {cluster: flags.cluster, region, ...(accountId === undefined ? {} : {accountId})}});
	if (!prepared.resolved || hasErrors(prepared.problems)) return badInput(output, flags, prepared.problems);
	const recipe = prepared.file!.recipe!;
	const version = prepared.resolved.releaseVersion ?? '0.0.0';
	const context = commandContext(output, environment.clock);

	// Promotion order: the environment before this one must have run this release successfully.
	const before = previousEnvironment(recipe.environments.map(e => e.name), flags.env);
	if (before !== undefined && !flags.skipLifecycle) {
		const ranBefore = await ranSuccessfully(recipe, before, version, {cluster: flags.cluster, region}, ports, environment.store, context).catch(() => false);
		if (!ranBefore) {
			return badInput(output, flags, [{path: '--env', message: `release ${version} has not been deployed successfully to ${before}, which comes before ${flags.env}; deploy it there first, or pass --skip-lifecycle`, severity: 'error'}]);
		}
	}
	// A tag that now points at another image than the release pinned.
	if (release) {
		try {
			const moved = await movedTags(recipe, release, ports, context);
			for (const m of moved) output.note(`warning: ${m}`);
			if (moved.length > 0 && !flags.allowMovedTags) {
				return badInput(output, flags, [{path: '--release', message: 'image tags moved since the release was made; deploy anyway with --allow-moved-tags, or create a new release', severity: 'error'}]);
			}
		} catch (error) {
			return awsFailure(output, error);
		}
	} else if (environment.store && !environment.store.releases(recipe.name).some(r => r.version === version)) {
		environment.store.saveRelease({project: recipe.name, version, images, createdAt: new Date(context.clock.now()).toISOString(), recipe: withoutSensitiveValues(recipe)});
	}
	const built = buildTemplate(prepared.resolved);
	const missingTags = built.imageParametersWithoutDefault;
	if (missingTags.length > 0) {
		return badInput(output, flags, [{path: '--image', message: `choose a tag for every image (missing: ${missingTags.join(', ')}); for example --image web=1.4.2`, severity: 'error'}]);
	}
	const secretValues: Record<string, string> = {};
	for (const {parameter, variable} of built.secretParameters) {
		const value = env[`ECS_DEPLOYER_SECRET_${variable.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`];
		if (value === undefined) {
			return badInput(output, flags, [{path: `variables.${variable}`, message: `is sensitive and has no value: set ECS_DEPLOYER_SECRET_${variable.toUpperCase().replace(/[^A-Z0-9]/g, '_')} in the environment of this command`, severity: 'error'}]);
		}
		secretValues[parameter] = value;
	}

	const printer = createPrinter(output, {
		json: Boolean(flags.json),
		answers: {
			'recreate-stack': Boolean(flags.recreate || flags.yes),
			...(flags.recreate ? {'continue-rollback': false} : {}),
		},
	});
	const record = {project: recipe.name, environment: flags.env, version, target: environment.targetName ?? flags.cluster, stackName: prepared.resolved.service.stackName, startedAt: new Date(context.clock.now()).toISOString()};
	if (!flags.preview) environment.store?.recordDeployment({...record, outcome: 'in progress'});
	const result = await deploy(
		prepared.resolved,
		built,
		{
			...(flags.preview ? {preview: true} : {}),
			...(flags.wait === false ? {wait: {mode: 'none'}} : timeout === undefined ? {} : {wait: {mode: 'timeout', timeoutMinutes: timeout}}),
			...(flags.cancelOnInterrupt ? {cancelOnInterrupt: true} : {}),
			secretValues,
			reattachCommand: `ecs-deployer watch --recipe ${flags.recipe} --env ${flags.env}`,
		},
		{
			aws: ports,
			host: printer,
			clock: environment.clock ?? realClock,
			...(environment.polling ? {polling: environment.polling} : {}),
			...(environment.signal ? {signal: environment.signal} : {}),
			newId: randomUUID,
		},
	);
	if (!flags.preview) environment.store?.recordDeployment({...record, finishedAt: new Date(context.clock.now()).toISOString(), outcome: result.outcome});
	return report(output, flags, result, environment.signal?.aborted ?? false);
}

function badInput(output: Output, flags: DeployFlags, problems: Parameters<typeof printProblems>[1]): ExitCode {
	if (flags.json) output.json({outcome: 'invalid', problems});
	else {
		output.note(`cannot deploy ${flags.recipe} to ${flags.env}: ${countWords(problems)}; nothing was changed in AWS`);
		printProblems({...output, line: output.note}, problems);
	}
	return exitCodes.badInput;
}

function report(output: Output, flags: DeployFlags, result: DeployResult, interrupted: boolean): ExitCode {
	const code = exitCodeFor(result, interrupted);
	if (flags.json) output.line(JSON.stringify({result: {...result, exitCode: code}}));
	else {
		const ok = code === exitCodes.success;
		output.line(`${ok ? output.paint.green('✓') : output.paint.red('✗')} ${result.message}`);
	}
	return code;
}

/** 0 when the release is serving (or nothing needed doing), 1 when the deploy did not happen, 3 on access problems, 130 when interrupted. */
export function exitCodeFor(result: DeployResult, interrupted: boolean): ExitCode {
	switch (result.outcome) {
		case 'succeeded':
		case 'no-op':
		case 'previewed':
		case 'started':
			return exitCodes.success;
		case 'access-denied':
			return exitCodes.awsAccess;
		case 'detached':
			return interrupted ? exitCodes.interrupted : exitCodes.awsAccess;
		default:
			return exitCodes.deploymentFailed;
	}
}

/** Whether `version` ran successfully in `environment`: a stored record, or the stack's release tag and status. */
async function ranSuccessfully(recipe: RecipeDocument, environment: string, version: string, target: {cluster: string; region: string}, ports: AwsPorts, store: WorkspaceStore | undefined, context: CallContext): Promise<boolean> {
	const ok = ['succeeded', 'no-op'];
	if (store?.deployments(recipe.name).some(d => d.environment === environment && d.version === version && ok.includes(d.outcome))) return true;
	const stackName = stackNameFor(recipe, environment, target.cluster, target.region);
	const stack = (await callAws(context, 'DescribeStacks', () => ports.cloudFormation.describeStacks({StackName: stackName}))).Stacks?.[0];
	return stack?.Tags?.find(t => t.Key === toolTagKeys.release)?.Value === version && isSuccess(stack.StackStatus ?? '');
}

/** Messages for each ECR tag of the release that now points at another digest. */
async function movedTags(recipe: RecipeDocument, release: Release, ports: AwsPorts, context: CallContext): Promise<string[]> {
	const moved: string[] = [];
	for (const [ref, pinned] of Object.entries(release.images)) {
		const source = recipe.images[ref];
		if (!source || source.registry !== undefined || pinned.digest === undefined) continue;
		const out = await callAws(context, 'DescribeImages', () =>
			ports.ecr.describeImages({repositoryName: source.repository, ...(source.account ? {registryId: source.account} : {}), imageIds: [{imageTag: pinned.tag}]}),
		).catch(error => {
			if ((error as {name?: string}).name === 'ImageNotFoundException') return {imageDetails: []};
			throw error;
		});
		const now = out.imageDetails?.[0]?.imageDigest;
		if (now === undefined) moved.push(`${ref}: tag ${pinned.tag} no longer exists in ${source.repository}`);
		else if (now !== pinned.digest) moved.push(`${ref}: tag ${pinned.tag} now points at ${now.slice(0, 19)}, not ${pinned.digest.slice(0, 19)} as when release ${release.version} was made`);
	}
	return moved;
}
