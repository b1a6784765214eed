import type {Target} from '../store/types.js';

/**
 * What the header says about the account in use: "sandbox (simulated account)" only when the sandbox is
 * used (`--sandbox`, or no target of one's own exists); otherwise the operator's targets.
 */
export function targetLabel(targets: readonly Target[], sandboxOnly: boolean): string {
	const own = targets.filter(t => !t.sandbox);
	if (sandboxOnly || own.length === 0) return 'sandbox (simulated account)';
	// Environments no target of one's own serves run on the sandbox.
	return `${own.map(t => `${t.name} (${t.cluster}, ${t.region})`).join(', ')}; sandbox for the other environments`;
}
