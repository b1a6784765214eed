import type {DeploymentRecord} from '../../store/types.js';

const succeeded = (r: DeploymentRecord) => r.outcome === 'succeeded' || r.outcome === 'no-op';

/**
 * The release to roll back to: the newest successful deployment to the environment of another version than
 * the one now serving (the newest successful one; a failed deploy rolled back and never served).
 */
export function previousRelease(records: readonly DeploymentRecord[], environment: string): string | undefined {
	const mine = records.filter(r => r.environment === environment && succeeded(r));
	const current = mine.at(-1)?.version;
	return [...mine].reverse().find(r => r.version !== current)?.version;
}
