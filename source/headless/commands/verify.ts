import {checkCounts, type VerifyCheck} from '../../domain/preflight.js';
import type {Engine} from '../../engine/engine.js';
import type {Target} from '../../domain/records.js';
import {exitCodes, type ExitCode} from '../../exit-codes.js';
import {parseImageChoices} from '../flags.js';
import type {Output} from '../output.js';
import {awsFailure, badInput} from './shared.js';

export type VerifyFlags = {
	recipe: string;
	env: string;
	image?: string[];
	/** false with `--no-verify-cache`: check everything again. */
	verifyCache?: boolean;
	json?: boolean;
};

/**
 * `ecs-deployer verify`: the pre-flight checks of a recipe for an environment on its target, one line each
 * (✓ passed, ✗ failed, – not checked) with the recipe field, what was found and what to do. Exit 0 when
 * nothing failed, 1 when a check failed (as a deploy stopped by its pre-flight), 2 for bad input, 3 when
 * the target's credentials cannot be used.
 */
export async function verifyCommand(flags: VerifyFlags, target: Target, engine: Engine, output: Output): Promise<ExitCode> {
	const choices = parseImageChoices(flags.image ?? []);
	if (choices.problems.length > 0) return badInput(output, Boolean(flags.json), 'cannot verify', choices.problems);
	let result;
	try {
		result = await engine.verify({
			recipeFile: flags.recipe,
			environment: flags.env,
			target,
			images: Object.fromEntries(Object.entries(choices.images).map(([ref, choice]) => [ref, choice.tag])),
			...(flags.verifyCache === false ? {refresh: true} : {}),
		});
	} catch (error) {
		return awsFailure(output, error);
	}
	if (result.kind === 'invalid') return badInput(output, Boolean(flags.json), result.message, result.problems);
	if (result.kind === 'access') {
		if (flags.json) output.json({outcome: 'access', message: result.message});
		else output.note(`error: ${result.message}`);
		return exitCodes.awsAccess;
	}
	if (flags.json) {
		output.json({outcome: result.passed ? 'passed' : 'failed', project: result.project, environment: result.environment, target: result.target, accountId: result.accountId, checks: result.checks});
	} else {
		output.line(`${result.project} for ${result.environment} on target ${result.target} (account ${result.accountId}, cluster ${result.cluster}):`);
		for (const check of result.checks) printCheck(output, check);
		const verdict = result.passed ? output.paint.green('✓ pre-flight verify passed') : output.paint.red('✗ pre-flight verify failed: a deploy would stop here, nothing changed');
		output.line(`${verdict} (${checkCounts(result.checks)})`);
	}
	return result.passed ? exitCodes.success : exitCodes.deploymentFailed;
}

function printCheck(output: Output, check: VerifyCheck): void {
	const {paint} = output;
	const mark = check.state === 'passed' ? paint.green('✓') : check.state === 'failed' ? paint.red('✗') : paint.yellow('–');
	const state = check.state === 'not checked' ? 'not checked: ' : '';
	output.line(`${mark} ${check.field}: ${check.subject}: ${state}${check.reason}${check.cached ? paint.dim(' (passed within the last minutes)') : ''}`);
	if (check.state === 'failed' && check.fix) output.line(`    ${paint.dim('→')} ${check.fix}`);
}
