import type {Engine} from '../engine/engine.js';
import type {TargetPick} from '../engine/targets/targets.js';

/** The flags that name a target: a stored one, or a cluster and its region. */
export type TargetFlags = {target?: string; cluster?: string; region?: string};

/**
 * The target the flags name for an environment (the region also from AWS_REGION or AWS_DEFAULT_REGION, as the
 * SDK reads it), and the flags that name it again, for a re-attach command.
 */
export function targetFromFlags(engine: Pick<Engine, 'pickTarget'>, flags: TargetFlags, environment: string | undefined, env: NodeJS.ProcessEnv): {picked: TargetPick; args: string[]} {
	const region = flags.region ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'];
	const picked = engine.pickTarget({...(flags.target === undefined ? {} : {target: flags.target}), ...(flags.cluster === undefined ? {} : {cluster: flags.cluster}), ...(region === undefined ? {} : {region})}, environment);
	const args = flags.target !== undefined ? ['--target', flags.target] : flags.cluster !== undefined ? ['--cluster', flags.cluster, ...(region ? ['--region', region] : [])] : [];
	return {picked, args};
}
