import type {DeployResult} from '../engine/core/results.js';
import type {TargetVerdict} from '../engine/deploy/deploy-targets.js';
import {wordingOf} from '../domain/vocabulary.js';
import {exitCodes, type ExitCode} from '../exit-codes.js';
import type {Output} from './output.js';
import {printProblems} from './commands/shared.js';

/**
 * The exit code of a run: 0 when the release is serving (or nothing needed doing), 1 when the deploy did not
 * happen (or an error ended it), 2 for bad input or a question left unanswered (nothing was changed), 3 for
 * AWS access problems, 4 when the stack succeeded but ECS did not confirm the release serving, 130 when
 * interrupted.
 */
export function exitCodeFor(result: DeployResult, interrupted: boolean): ExitCode {
	switch (result.outcome) {
		case 'succeeded':
		case 'no-op':
		case 'previewed':
		case 'started':
			return exitCodes.success;
		case 'invalid':
		case 'declined':
			return exitCodes.badInput;
		case 'access-denied':
			return exitCodes.awsAccess;
		case 'unconfirmed':
			return exitCodes.unconfirmed;
		case 'detached':
			return interrupted ? exitCodes.interrupted : result.expired ? exitCodes.awsAccess : exitCodes.deploymentFailed;
		case 'cancelled':
			// Ctrl+C with --cancel-on-interrupt: interrupted, and the previous release came back.
			return interrupted ? exitCodes.interrupted : exitCodes.deploymentFailed;
		case 'error':
			// A workspace file that cannot be used as it is: bad input, as for any corrupt file.
			return result.file?.kind === 'corrupt' ? exitCodes.badInput : exitCodes.deploymentFailed;
		case 'failed':
		case 'rolled-back':
		case 'stuck':
		case 'timed-out':
		case 'busy':
			return exitCodes.deploymentFailed;
	}
}

/** Exit codes from the least to the most serious: a run over several targets exits with its worst. */
const seriousness: readonly ExitCode[] = [exitCodes.success, exitCodes.exists, exitCodes.unconfirmed, exitCodes.badInput, exitCodes.awsAccess, exitCodes.deploymentFailed, exitCodes.interrupted];

/** The most serious of several exit codes (success for none). */
export function worstExitCode(codes: readonly ExitCode[]): ExitCode {
	return codes.reduce<ExitCode>((worst, code) => (seriousness.indexOf(code) > seriousness.indexOf(worst) ? code : worst), exitCodes.success);
}

/** Prints how a run ended (one line, or the JSON document) and returns its exit code. */
export function reportResult(output: Output, result: DeployResult, options: {json: boolean; interrupted: boolean}): ExitCode {
	const code = exitCodeFor(result, options.interrupted);
	if (options.json) {
		output.line(JSON.stringify({result: {...result, exitCode: code}}));
		return code;
	}
	if (result.outcome === 'invalid') {
		output.note(result.message);
		printProblems({...output, line: output.note}, result.problems);
		return code;
	}
	if (result.outcome === 'error' && result.file) {
		// Our own file, not AWS: `error: <file>: <problem>`, then how to recover.
		output.note(`error: ${result.message}`);
		output.note(result.hint);
		return code;
	}
	const ok = code === exitCodes.success;
	// ✓ only on ECS evidence (succeeded, no-op); an unconfirmed verdict is neither ✓ nor ✗.
	const wording = wordingOf(result.outcome);
	const paint = ok ? output.paint.green : wording.tone === 'bad' ? output.paint.red : output.paint.yellow;
	output.line(`${paint(ok ? '✓' : wording.mark === '✓' ? '•' : wording.mark)} ${wording.words}: ${result.message}`);
	if ('confirmed' in result && result.confirmed.length > 0) output.note(`confirmed: ${result.confirmed.join('; ')}`);
	if (result.outcome === 'unconfirmed') output.note(`not confirmed: ${result.unconfirmed.join('; ')}`);
	if (result.outcome === 'error') output.note(`${result.code} during ${result.step}; hint: ${result.hint}`);
	if (result.outcome === 'declined') output.note(`nothing was changed; to answer ${result.flag === '--yes' ? 'yes ' : ''}without being asked, pass ${result.flag}`);
	if (result.outcome === 'access-denied' || (result.outcome === 'detached' && result.expired)) {
		output.note('check your credentials (AWS_PROFILE, --profile, or aws sso login) and the permissions ecs-deployer needs (ecs-deployer iam-policy --recipe FILE)');
	}
	return code;
}

/**
 * The end of a deploy to several targets, one after the other: each target's report (plain) and a summary line
 * each, or one JSON document with every target's result or why it was skipped. Returns the worst exit code.
 */
export function reportTargets(output: Output, environment: string, verdicts: readonly TargetVerdict[], options: {json: boolean; interrupted: boolean}): ExitCode {
	const {json, interrupted} = options;
	const codes = verdicts.map(v => ('result' in v ? (json ? exitCodeFor(v.result, interrupted) : reportResult(output, v.result, options)) : exitCodes.success));
	const code = worstExitCode(codes);
	if (json) {
		output.line(JSON.stringify({targets: verdicts.map((v, i) => ({target: v.target.name, region: v.target.region, cluster: v.target.cluster, ...('result' in v ? {result: {...v.result, exitCode: codes[i]}} : {skipped: v.skipped})})), exitCode: code}));
		return code;
	}
	output.line(output.paint.bold(`── ${environment}: ${verdicts.length} targets ──`));
	for (const v of verdicts) {
		if ('skipped' in v) {
			output.line(`${v.target.name.padEnd(16)} ${output.paint.yellow('–')} skipped: ${v.skipped}`);
			continue;
		}
		const wording = wordingOf(v.result.outcome);
		const ok = exitCodeFor(v.result, false) === exitCodes.success;
		const mark = ok ? output.paint.green('✓') : wording.tone === 'bad' ? output.paint.red(wording.mark) : output.paint.yellow(wording.mark === '✓' ? '•' : wording.mark);
		output.line(`${v.target.name.padEnd(16)} ${mark} ${wording.words} (cluster ${v.target.cluster} in ${v.target.region})`);
	}
	return code;
}
