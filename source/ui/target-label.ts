import type {Target} from '../domain/records.js';

/**
 * What the header says about the accounts in use, when no environment is in view: the sandbox only when it
 * was asked for (`--sandbox`, or a stored target marked as the sandbox), and never "for the other
 * environments": an environment no target serves has no target.
 */
export function targetLabel(stored: readonly Target[], sandboxOnly: boolean): {text: string; sandbox: boolean} {
	if (sandboxOnly) return {text: 'SANDBOX: simulated account (--sandbox)', sandbox: true};
	if (stored.length === 0) return {text: 'no target yet: t adds one, s uses the sandbox', sandbox: false};
	const own = stored.filter(t => !t.sandbox).map(t => `${t.name} (${t.cluster}, ${t.region})`);
	const sandbox = stored.find(t => t.sandbox);
	return {text: [...own, ...(sandbox ? [`SANDBOX (simulated) for ${sandbox.environments.join(', ')}`] : [])].join('; '), sandbox: sandbox !== undefined};
}
