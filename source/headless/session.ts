import type {WorkspaceStore} from '../store/workspace-store.js';
import type {Target} from '../store/types.js';

export type TargetFlags = {target?: string; cluster?: string; region?: string};

/**
 * The target a headless command uses: `--target NAME`, else `--cluster` with `--region` (AWS_REGION),
 * else the stored target that serves the environment. `--region` overrides a stored target's region.
 */
export function pickTarget(store: WorkspaceStore, flags: TargetFlags, environment: string | undefined, env: NodeJS.ProcessEnv = process.env): {target: Target} | {error: string} {
	const region = flags.region ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'];
	if (flags.target !== undefined) {
		const target = store.target(flags.target);
		if (!target) return {error: `--target: there is no target named ${flags.target} (targets: ${store.targets().map(t => t.name).join(', ') || 'none'})`};
		return {target: {...target, ...(flags.region === undefined ? {} : {region: flags.region}), ...(flags.cluster === undefined ? {} : {cluster: flags.cluster})}};
	}
	if (flags.cluster !== undefined) {
		if (region === undefined) return {error: '--region: name the AWS region of --cluster (or set AWS_REGION)'};
		return {target: {name: `${flags.cluster}@${region}`, region, cluster: flags.cluster, environments: environment ? [environment] : [], tags: [], credentials: {source: 'default'}}};
	}
	const stored = environment === undefined ? store.targets()[0] : store.targetFor(environment);
	if (stored) return {target: {...stored, ...(flags.region === undefined ? {} : {region: flags.region})}};
	return {
		error: `no target serves ${environment ?? 'any environment'}: add one with ecs-deployer target add --name NAME --region REGION --cluster CLUSTER --env ${environment ?? 'ENV'}, or pass --target, or --cluster and --region (or try it on the simulated account with --sandbox)`,
	};
}
