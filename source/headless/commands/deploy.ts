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
import {countWords, printProblems} from './shared.js';

export type DeployFlags = {
	recipe: string;
	env: string;
	image?: string[];
	releaseVersion?: string;
	cluster?: string;
	region?: string;
	preview?: boolean;
	yes?: boolean;
	recreate?: boolean;
	/** `--no-wait`: commander sets `wait: false`. */
	wait?: boolean;
	timeout?: string;
	json?: boolean;
	cancelOnInterrupt?: boolean;
};

export type DeployEnvironment = {
	/** The AWS ports for the target (real or sandbox). */
	ports: (region: string) => AwsPorts;
	clock?: Clock;
	polling?: PollingOptions;
	signal?: AbortSignal;
	env?: NodeJS.ProcessEnv;
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
	const primaryTag = Object.values(images)[0]?.tag;
	const releaseVersion = flags.releaseVersion ?? primaryTag;
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
	const result = await deploy(
		prepared.resolved,
		built,
		{
			...(flags.preview ? {preview: true} : {}),
			...(flags.wait === false ? {wait: {mode: 'none'}} : timeout === undefined ? {} : {wait: {mode: 'timeout', timeoutMinutes: timeout}}),
			...(flags.cancelOnInterrupt ? {cancelOnInterrupt: true} : {}),
			secretValues,
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
