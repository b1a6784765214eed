import path from 'node:path';

/** The workspace folder: `$ECS_DEPLOYER_HOME`, else `.ecs-deployer/` in the working directory. */
export function storeFolderFor(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
	return env['ECS_DEPLOYER_HOME'] ?? path.join(cwd, '.ecs-deployer');
}
