import type {DeployReleaseInput, DeployRun} from '../../engine/deploy/deploy-release.js';
import type {Engine} from '../../engine/engine.js';
import type {EnterQuestion} from '../../engine/shared/host.js';
import {linkSignal} from '../../engine/shared/run-control.js';
import type {Problem} from '../../domain/problems.js';
import type {ExitCode} from '../../exit-codes.js';
import {commandLine, parseImageChoices, wholeNumber} from '../flags.js';
import type {Output} from '../output.js';
import {createPrinter, type Answers} from '../printer.js';
import type {Prompter} from '../prompter.js';
import {reportResult} from '../run-report.js';
import {targetFromFlags, type TargetFlags} from '../target-flags.js';
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
	return runCommand(flags, engine, output, io, input => {
		const {images, problems} = parseImageChoices(flags.image ?? []);
		if (problems.length > 0) return {problems};
		const tags = Object.fromEntries(Object.entries(images).map(([ref, choice]) => [ref, choice.tag]));
		return {
			run: engine.deploy(
				{
					...input,
					...(flags.release === undefined ? {} : {release: flags.release}),
					...(Object.keys(tags).length === 0 ? {} : {images: tags}),
					...(flags.releaseVersion === undefined ? {} : {releaseVersion: flags.releaseVersion}),
					...(flags.channel === undefined ? {} : {channel: flags.channel}),
				},
				input.host,
			),
		};
	});
}

type BaseInput = Omit<DeployReleaseInput, 'release' | 'images' | 'releaseVersion' | 'channel'> & {host: ReturnType<typeof createPrinter>};

/** The part `deploy`, `rollback` share: flags to input, the printer answering from flags, signals, the report. */
export async function runCommand(flags: DeployFlags, engine: Engine, output: Output, io: RunIo, start: (input: BaseInput) => {run: DeployRun} | {problems: Problem[]}): Promise<ExitCode> {
	const problems: Problem[] = [];
	const timeout = wholeNumber('--timeout', flags.timeout, 1, 1440);
	if (timeout.problem) problems.push(timeout.problem);
	const approveAfter = wholeNumber('--approve-after', flags.approveAfter, 1, 1440);
	if (approveAfter.problem) problems.push(approveAfter.problem);
	const {picked, args: targetArgs} = targetFromFlags(engine, flags, flags.env, io.env);
	if ('error' in picked) problems.push({path: picked.path, message: picked.error, severity: 'error'});
	if (problems.length > 0 || 'error' in picked) return badInput(output, Boolean(flags.json), `cannot deploy ${flags.recipe} to ${flags.env}`, problems);

	const host = createPrinter(output, {json: Boolean(flags.json), answers: answersFrom(flags, io.env), ...(io.prompter ? {prompter: io.prompter} : {})});
	const started = start({
		recipeFile: flags.recipe,
		environment: flags.env,
		target: picked.target,
		...(flags.preview ? {preview: true} : {}),
		...(flags.wait === false ? {wait: {mode: 'none' as const}} : timeout.value === undefined ? {} : {wait: {mode: 'timeout' as const, timeoutMinutes: timeout.value}}),
		reattach: commandLine([...io.globalArgs, 'watch', '--recipe', flags.recipe, '--env', flags.env, ...targetArgs]),
		...(approveAfter.value === undefined ? {} : {approveAfterMinutes: approveAfter.value}),
		...(flags.verifyCache === false ? {verifyCache: false} : {}),
		host,
	});
	if ('problems' in started) return badInput(output, Boolean(flags.json), `cannot deploy ${flags.recipe} to ${flags.env}`, started.problems);
	linkSignal(started.run.control, io.signal, flags.cancelOnInterrupt ? 'cancel' : 'detach');
	const result = await started.run.result;
	return reportResult(output, result, {json: Boolean(flags.json), interrupted: io.signal?.aborted ?? false});
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
