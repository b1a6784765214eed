import type {Engine} from '../engine/engine.js';
import type {TargetChoice, TargetPick} from '../engine/targets/targets.js';

/** The flags that name a target: a stored one, or a cluster and its region. */
export type TargetFlags = {target?: string; cluster?: string; region?: string};

/**
 * The choice the flags make (the region also from AWS_REGION or AWS_DEFAULT_REGION, as the SDK reads it), and
 * the flags that name it again, for a re-attach command.
 */
export function choiceFromFlags(flags: TargetFlags, env: NodeJS.ProcessEnv): {choice: TargetChoice; args: string[]} {
	const region = flags.region ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'];
	const choice = {...(flags.target === undefined ? {} : {target: flags.target}), ...(flags.cluster === undefined ? {} : {cluster: flags.cluster}), ...(region === undefined ? {} : {region})};
	const args = flags.target !== undefined ? ['--target', flags.target] : flags.cluster !== undefined ? ['--cluster', flags.cluster, ...(region ? ['--region', region] : [])] : [];
	return {choice, args};
}

/** The target the flags name for an environment, and the flags that name it again, for a re-attach command. */
export function targetFromFlags(engine: Pick<Engine, 'pickTarget'>, flags: TargetFlags, environment: string | undefined, env: NodeJS.ProcessEnv): {picked: TargetPick; args: string[]} {
	const {choice, args} = choiceFromFlags(flags, env);
	return {picked: engine.pickTarget(choice, environment), args};
}

/** As targetFromFlags, for a command about a recipe's environment: the recipe's target tags choose too. */
export async function recipeTargetFromFlags(engine: Pick<Engine, 'targetForRecipe'>, flags: TargetFlags & {recipe: string}, environment: string, env: NodeJS.ProcessEnv): Promise<{picked: TargetPick; args: string[]}> {
	const {choice, args} = choiceFromFlags(flags, env);
	return {picked: await engine.targetForRecipe({recipeFile: flags.recipe, environment, choice}), args};
}

