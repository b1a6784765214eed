import type {DeployResult} from '../engine/results.js';
import {exitCodes, type ExitCode} from '../exit-codes.js';
import type {Output} from './output.js';
import {printProblems} from './commands/shared.js';

/**
 * The exit code of a run: 0 when the release is serving (or nothing needed doing), 1 when the deploy did not
 * happen, 2 for bad input or a question left unanswered (nothing was changed), 3 for AWS access problems,
 * 130 when interrupted.
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
		case 'detached':
			return interrupted ? exitCodes.interrupted : result.expired ? exitCodes.awsAccess : exitCodes.deploymentFailed;
		case 'cancelled':
			// Ctrl+C with --cancel-on-interrupt: interrupted, and the previous release came back.
			return interrupted ? exitCodes.interrupted : exitCodes.deploymentFailed;
		case 'failed':
		case 'rolled-back':
		case 'timed-out':
		case 'busy':
			return exitCodes.deploymentFailed;
	}
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
	const ok = code === exitCodes.success;
	output.line(`${ok ? output.paint.green('✓') : output.paint.red('✗')} ${result.message}`);
	if (result.outcome === 'declined') output.note(`nothing was changed; to answer yes without being asked, pass ${result.flag}`);
	if (result.outcome === 'access-denied' || (result.outcome === 'detached' && result.expired)) {
		output.note('check your credentials (AWS_PROFILE, --profile, or aws sso login) and the permissions ecs-deployer needs (ecs-deployer iam-policy --recipe FILE)');
	}
	return code;
}
