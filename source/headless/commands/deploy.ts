import type {DeployReleaseInput, DeployRun} from '../../engine/deploy/deploy-release.js';
import type {Engine} from '../../engine/engine.js';
import type {EnterQuestion} from '../../engine/core/host.js';
import {linkSignal} from '../../engine/core/run-control.js';
import type {Problem} from '../../domain/problems.js';
import {commandLine, parseImageChoices, wholeNumber} from '../flags.js';
import type {Output} from '../output.js';
import {createPrinter, type Answers} from '../printer.js';
import type {Prompter} from '../prompter.js';
import {reportResult, reportTargets} from '../run-report.js';
import {choiceFromFlags, type TargetFlags} from '../target-flags.js';
import {allTargets} from '../../engine/deploy/deploy-targets.js';
import type {Target} from '../../domain/records.js';
import type {ExitCode} from '../../exit-codes.js';
import {badInput} from './shared.js';

/** Target flags every AWS command takes. */
export type {TargetFlags};

/** The flags of `deploy` and `rollback`. */
export type DeployFlags = TargetFlags & {
	recipe: string;
	env: string;
	image?: string[];
	release?: string;
	releaseVersion?: string;
	channel?: string;
	preview?: boolean;
	yes?: boolean;
	recreate?: boolean;
	/** `--no-wait`: commander sets `wait: false`. */
	wait?: boolean;
	timeout?: string;
	cancelOnInterrupt?: boolean;
	allowMovedTags?: boolean;
	skipLifecycle?: boolean;
	/** Minutes after which a deployment waiting at its approval gate is approved without an answer. */
	approveAfter?: string;
	/** `--skip-before-deploy`: do not run the recipe's beforeDeploy tasks. */
	skipBeforeDeploy?: boolean;
	/** false with `--no-verify-cache`. */
	verifyCache?: boolean;
	json?: boolean;
};

/** What a run needs from the process: the interrupt signal, a terminal to ask on, the environment, the global flags. */
export type RunIo = {
	/** Aborted on the first Ctrl+C or SIGTERM. */
	signal?: AbortSignal;
	/** Asks on the terminal when a flag does not answer (absent: not a terminal, or --json). */
	prompter?: Prompter;
	env: NodeJS.ProcessEnv;
	/** Global flags to repeat in the re-attach command (`--sandbox`, `--profile x`). */
	globalArgs: readonly string[];
};

/** `ecs-deployer deploy`: flags → the engine's deploy use case → plain or JSON lines and an exit code. */
export async function deployCommand(flags: DeployFlags, engine: Engine, output: Output, io: RunIo): Promise<ExitCode> {
	const {images, problems} = parseImageChoices(flags.image ?? []);
	if (problems.length > 0) return badInput(output, Boolean(flags.json), `cannot deploy ${flags.recipe} to ${flags.env}`, problems);
	const tags = Object.fromEntries(Object.entries(images).map(([ref, choice]) => [ref, choice.tag]));
	return runCommand(
		flags,
		engine,
		output,
		io,
		input =>
			engine.deploy(
				{
					...input,
					...(flags.release === undefined ? {} : {release: flags.release}),
					...(Object.keys(tags).length === 0 ? {} : {images: tags}),
					...(flags.releaseVersion === undefined ? {} : {releaseVersion: flags.releaseVersion}),
					...(flags.channel === undefined ? {} : {channel: flags.channel}),
				},
				input.host,
			),
		true,
	);
}

type BaseInput = Omit<DeployReleaseInput, 'release' | 'images' | 'releaseVersion' | 'channel'> & {host: ReturnType<typeof createPrinter>};

/**
 * The part `deploy`, `rollback` share: flags to input, the printer answering from flags, signals, the report.
 * An environment several targets serve (and none named): a deploy goes to each one after the other (a
 * section each, a summary line each, the worst exit code), asked first at a terminal; a rollback (`several`
 * false) refuses, naming `--target`.
 */
export async function runCommand(flags: DeployFlags, engine: Engine, output: Output, io: RunIo, start: (input: BaseInput) => DeployRun, several = false): Promise<ExitCode> {
	const json = Boolean(flags.json);
	const title = `cannot deploy ${flags.recipe} to ${flags.env}`;
	const problems: Problem[] = [];
	const timeout = wholeNumber('--timeout', flags.timeout, 1, 1440);
	if (timeout.problem) problems.push(timeout.problem);
	const approveAfter = wholeNumber('--approve-after', flags.approveAfter, 1, 1440);
	if (approveAfter.problem) problems.push(approveAfter.problem);
	if (problems.length > 0) return badInput(output, json, title, problems);
	const {choice, args: choiceArgs} = choiceFromFlags(flags, io.env);
	const answers = answersFrom(flags, io.env);
	// Without a terminal to ask on, a deploy goes to every target that serves the environment (--target picks one).
	const host = createPrinter(output, {json, answers: io.prompter ? answers : {...answers, choose: {...answers.choose, 'deploy-targets': allTargets}}, ...(io.prompter ? {prompter: io.prompter} : {})});
	const picked = several ? await engine.targetsForDeploy({recipeFile: flags.recipe, environment: flags.env, choice}, host) : await engine.targetForRecipe({recipeFile: flags.recipe, environment: flags.env, choice}).then(p => ('target' in p ? {targets: [p.target]} : p));
	if ('error' in picked) return badInput(output, json, title, [{path: picked.path, message: picked.error, severity: 'error'}]);
	if (picked.targets.length === 0) return badInput(output, json, title, [{path: '--target', message: 'no target was chosen; nothing was deployed', severity: 'error'}]);
	const deployTo = (target: Target, targetArgs: readonly string[]) =>
		start({
			recipeFile: flags.recipe,
			environment: flags.env,
			target,
			...(flags.preview ? {preview: true} : {}),
			...(flags.wait === false ? {wait: {mode: 'none' as const}} : timeout.value === undefined ? {} : {wait: {mode: 'timeout' as const, timeoutMinutes: timeout.value}}),
			reattach: commandLine([...io.globalArgs, 'watch', '--recipe', flags.recipe, '--env', flags.env, ...targetArgs]),
			...(approveAfter.value === undefined ? {} : {approveAfterMinutes: approveAfter.value}),
			...(flags.skipBeforeDeploy ? {skipBeforeDeploy: true} : {}),
			...(flags.verifyCache === false ? {verifyCache: false} : {}),
			host,
		});
	const link = (run: DeployRun) => linkSignal(run.control, io.signal, flags.cancelOnInterrupt ? 'cancel' : 'detach');
	const interrupted = () => io.signal?.aborted ?? false;

	if (picked.targets.length === 1) {
		const run = deployTo(picked.targets[0]!, choiceArgs);
		link(run);
		return reportResult(output, await run.result, {json, interrupted: interrupted()});
	}

	// Several targets, one after the other: a section each, then a summary line each.
	const {targets} = picked;
	const sequence = engine.deployEach(targets, (target, index) => {
		if (!json) output.line(output.paint.bold(`── ${flags.env} on target ${target.name} (cluster ${target.cluster} in ${target.region}), ${index + 1} of ${targets.length} ──`));
		const run = deployTo(target, ['--target', target.name]);
		link(run);
		return run;
	});
	const {verdicts} = await sequence.result;
	return reportTargets(output, flags.env, verdicts, {json, interrupted: interrupted()});
}

/** The answers the flags give: `--yes` applies the change set; the others lift one refusal each. */
function answersFrom(flags: DeployFlags, env: NodeJS.ProcessEnv): Answers {
	const given = (value: boolean | undefined) => (value ? true : undefined);
	return {
		confirm: {
			'execute-change-set': given(flags.yes),
			'recreate-stack': given(flags.yes || flags.recreate),
			'replace-stack': given(flags.recreate),
			...(flags.recreate ? {'continue-rollback': false} : flags.yes ? {'continue-rollback': true} : {}),
			'skip-lifecycle': given(flags.skipLifecycle),
			'allow-moved-tags': given(flags.allowMovedTags),
		},
		// Sensitive values come from ECS_DEPLOYER_SECRET_<NAME>, never from a flag (flags show in `ps` and shell history).
		enter: (question: EnterQuestion) => env[question.flag],
	};
}
