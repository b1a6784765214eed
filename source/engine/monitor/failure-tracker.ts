import {serviceEventReasons, stackRootCause, taskReasons, type FailureReason} from '../../domain/failures.js';
import {fetchContainerLogs} from './failure-logs.js';
import type {ServiceWatch} from './service-watch.js';
import type {StackContext} from '../core/stack-context.js';
import type {StackEventFeed} from './stack-feed.js';

/**
 * Finds why a run is failing while it runs: the root cause among the stack events, why the new tasks stopped
 * (with their containers' exit codes) and the service events that explain it. Reports the reasons as soon as
 * they change (not only at the end), and fetches a failing container's last log lines once.
 */
export class FailureTracker {
	private lastKey = '';
	private readonly logsFetched = new Set<string>();
	reasons: FailureReason[] = [];

	constructor(private readonly context: StackContext) {}

	/** Recomputes the reasons; notifies when they changed. */
	async update(feed: StackEventFeed | undefined, watch: ServiceWatch | undefined): Promise<void> {
		this.reasons = collectReasons(feed, watch);
		const key = JSON.stringify(this.reasons);
		if (key !== this.lastKey && this.reasons.length > 0) {
			this.lastKey = key;
			this.context.host.notify({code: 'failure', reasons: this.reasons});
		}
		if (watch) await fetchContainerLogs(this.context, [...watch.stoppedTasks.values()], this.logsFetched);
	}
}

/** The reasons, root cause first: when the stack only says the circuit breaker tripped, why the tasks failed leads. */
export function collectReasons(feed: StackEventFeed | undefined, watch: ServiceWatch | undefined): FailureReason[] {
	const reasons: FailureReason[] = [];
	const root = feed ? stackRootCause(feed.events) : undefined;
	const tasks = watch ? taskReasons([...watch.stoppedTasks.values()]) : [];
	if (root && tasks.length > 0 && /Circuit Breaker/i.test(root.message)) reasons.push(...tasks, root);
	else reasons.push(...(root ? [root] : []), ...tasks);
	if (watch) reasons.push(...serviceEventReasons(watch.eventMessages));
	return reasons;
}
