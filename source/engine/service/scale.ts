import {error as problem} from '../../domain/problems.js';
import {isInProgress} from '../../domain/stack-status.js';
import {callAws} from '../core/aws-call.js';
import {nextInterval} from '../core/clock.js';
import {notifyStart, onCurrentStack, type CurrentStackInput} from './current-stack.js';
import type {EngineDeps} from '../core/deps.js';
import {startRun, type DeployRun} from '../deploy/deploy-release.js';
import type {EngineHost} from '../core/host.js';
import type {DeployResult} from '../core/results.js';
import type {RunControl} from '../core/run-control.js';
import {ServiceWatch} from '../monitor/service-watch.js';
import {stackEcsResources} from '../monitor/stack-resources.js';
import {resultFactory, stackOutputs} from '../core/stack-results.js';

export type ScaleInput = CurrentStackInput & {
	/** The number of tasks to run. */
	count: number;
};

/**
 * Sets how many tasks an environment's service runs (UpdateService desiredCount) and follows ECS until
 * that many run. With `autoScaling` in the recipe the count must stay within its min and max (the scaler
 * may change it later); without, the next deploy sets the recipe's desiredCount again. The stack is not
 * changed. Asks first.
 */
export function scaleService(input: ScaleInput, deps: EngineDeps, host: EngineHost): DeployRun {
	return startRun(control => runScale(control, input, deps, host));
}

async function runScale(control: RunControl, input: ScaleInput, deps: EngineDeps, host: EngineHost): Promise<DeployResult> {
	return onCurrentStack(control, input, deps, host, 'scale', async ({current, aws, context, stack}) => {
		const {info, stackName} = current;
		const results = resultFactory(info);
		const invalid = (path: string, why: string) => results.make({outcome: 'invalid', problems: [problem(path, why)], message: `cannot scale ${input.environment}: ${why}`}, stack);
		if (!stack) return invalid('--env', `${input.environment} has not been deployed (no stack ${stackName})`);
		if (isInProgress(stack.StackStatus ?? '')) return results.make({outcome: 'busy', message: `stack ${stackName} is busy (${stack.StackStatus}); try again when it is done`}, stack);
		const scaling = context.resolved.service.autoScaling;
		if (scaling && (input.count < scaling.min || input.count > scaling.max)) {
			return invalid('--count', `${input.count} is outside autoScaling's ${scaling.min}–${scaling.max}: the scaler would move it back; change autoScaling.min/max in the recipe and deploy`);
		}
		const {service, taskDefinition} = await stackEcsResources(context, stack.StackId ?? stackName);
		if (!service || !taskDefinition) return invalid('--env', `stack ${stackName} holds no ECS service to scale`);
		notifyStart(host, current, input, undefined, undefined, 'Scaling');
		const lasts = scaling ? `the scaler may change it within ${scaling.min}–${scaling.max}` : 'until the next deploy sets the recipe\'s desiredCount again';
		const go = await host.request({kind: 'confirm', id: 'scale-service', message: `Run ${input.count} task${input.count === 1 ? '' : 's'} of ${stackName} in ${input.environment}? (${lasts})`, defaultAnswer: false, flag: '--yes'});
		if (!go) return results.declined('scale-service', '--yes', 'nothing was changed');
		await callAws(context, 'UpdateService', () => aws.ecs.updateService({cluster: input.target.cluster, service, desiredCount: input.count}));
		host.notify({code: 'note', message: `desired count set to ${input.count}`});
		const since = deps.clock.now();
		const watch = new ServiceWatch(aws.ecs, context, host, input.target.cluster, service, taskDefinition, since);
		const outputs = stackOutputs(stack);
		let progressAt = since;
		let last = '';
		for (let quiet = 1; ; ) {
			const changed = await watch.poll();
			// The service's own counts: the deployment's may lag behind a new desired count.
			const now = (await callAws(context, 'DescribeServices', () => aws.ecs.describeServices({cluster: input.target.cluster, services: [service]}))).services?.[0];
			const counts = {desired: now?.desiredCount ?? 0, running: now?.runningCount ?? 0, pending: now?.pendingCount ?? 0};
			const key = JSON.stringify(counts);
			if (changed || key !== last) progressAt = deps.clock.now();
			if (key !== last) host.notify({code: 'note', message: `${counts.running} of ${counts.desired} tasks running${counts.pending > 0 ? `, ${counts.pending} pending` : ''}`});
			last = key;
			const confirmed = [...watch.verdict.confirmed.filter(line => !/tasks running$/.test(line)), `${counts.running} of ${counts.desired} tasks running`];
			if (watch.state === 'completed' && counts.desired === input.count && counts.running === input.count && counts.pending === 0) {
				return results.make({outcome: 'succeeded', changes: [], outputs, confirmed, message: `${input.environment} runs ${input.count} task${input.count === 1 ? '' : 's'} (${lasts})`}, stack);
			}
			// Nothing started or stopped for a while: say what ECS shows rather than wait on.
			const stalled = deps.clock.now() - progressAt > (context.polling.confirmGraceMs ?? 30_000);
			if (watch.state === 'failed' || watch.state === 'missing' || stalled || deps.clock.now() - since > (context.polling.settleMs ?? 600_000)) {
				const missing = `ECS shows ${counts.running} of ${counts.desired} tasks running${counts.desired === input.count ? '' : ` (desired ${counts.desired}, not ${input.count})`}`;
				return results.make({outcome: 'unconfirmed', changes: [], outputs, confirmed, unconfirmed: [missing], message: `the desired count was set to ${input.count}, but ${missing}`}, stack);
			}
			quiet = changed ? 1 : quiet + 1;
			await control.pause(deps.clock, nextInterval(context.polling, quiet));
		}
	});
}
