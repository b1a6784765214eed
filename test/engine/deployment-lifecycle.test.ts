import {readFile} from 'node:fs/promises';
import path from 'node:path';
import type {ServiceDeployment} from '@aws-sdk/client-ecs';
import {expect, test} from 'vitest';
import type {AwsPorts} from '../../source/aws/ports.js';
import {parseRecipe} from '../../source/domain/recipe/parse.js';
import {resolveRecipe} from '../../source/domain/recipe/resolve.js';
import {RunControl} from '../../source/engine/core/run-control.js';
import type {StackContext} from '../../source/engine/core/stack-context.js';
import {DeploymentLifecycle} from '../../source/engine/monitor/deployment-lifecycle.js';
import {repoRoot} from '../helpers/cli.js';
import {recordingHost, testPolling} from '../helpers/engine.js';

/*
 * Which service deployment a blue/green run follows. A re-attach counts deployments from a second before the
 * stack's operation began (clock rounding), so an earlier run's deployment, ended, may be the only one listed
 * while CloudFormation has not yet made this run's: the run must go on to the newer one, not follow the ended
 * one for good (it then never saw its approval gate).
 */

async function checkoutProduction() {
	const parsed = parseRecipe(await readFile(path.join(repoRoot, 'recipes/checkout-api.yaml'), 'utf8'));
	const resolved = resolveRecipe({recipe: parsed.recipe!, environment: 'production', images: {api: {tag: '1.4.0'}}, releaseVersion: '1.4.0', target: {region: 'eu-west-1', cluster: 'main', accountId: '111122223333'}}).resolved;
	expect(resolved).toBeDefined();
	return resolved!;
}

test('an ended deployment listed first is left for the newer one once ECS lists it, with its own gate', async () => {
	const earlier: ServiceDeployment = {serviceDeploymentArn: 'arn:aws:ecs:eu-west-1:111122223333:service-deployment/main/checkout/earlier', createdAt: new Date(10_000), status: 'SUCCESSFUL', targetServiceRevision: {runningTaskCount: 2, requestedTaskCount: 2}};
	const mine: ServiceDeployment = {
		serviceDeploymentArn: 'arn:aws:ecs:eu-west-1:111122223333:service-deployment/main/checkout/mine',
		createdAt: new Date(10_800),
		status: 'IN_PROGRESS',
		lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
		targetServiceRevision: {runningTaskCount: 2, requestedTaskCount: 2},
		lifecycleHookDetails: [{hookId: 'gate-1', targetType: 'PAUSE', status: 'AWAITING_ACTION'}],
	};
	let listed = [earlier];
	const calls: string[] = [];
	const aws = {
		ecs: {
			listServiceDeployments: async () => {
				calls.push('list');
				return {serviceDeployments: listed.map(d => ({serviceDeploymentArn: d.serviceDeploymentArn, createdAt: d.createdAt, status: d.status}))};
			},
			describeServiceDeployments: async ({serviceDeploymentArns}: {serviceDeploymentArns: string[]}) => {
				calls.push(`describe ${serviceDeploymentArns.join(',').split('/').at(-1)}`);
				return {serviceDeployments: [earlier, mine].filter(d => serviceDeploymentArns.includes(d.serviceDeploymentArn!))};
			},
		},
	} as unknown as AwsPorts;
	const host = recordingHost({'approve-deployment': 'wait'});
	const context: StackContext = {aws, cluster: 'main', resolved: await checkoutProduction(), host, clock: {now: () => 11_000, sleep: async () => undefined}, polling: testPolling, control: new RunControl(), newId: () => 'id', reattach: 'watch'};
	// Counted from a second before the operation began (10_500): the earlier deployment is within that second.
	const lifecycle = new DeploymentLifecycle(context, 'checkout', 9_500);

	await lifecycle.poll();
	expect(lifecycle.view?.deploymentArn).toBe(earlier.serviceDeploymentArn);
	// Not listed yet: the ended one is still all there is.
	await lifecycle.poll();
	expect(lifecycle.view?.deploymentArn).toBe(earlier.serviceDeploymentArn);
	listed = [mine, earlier];
	await lifecycle.poll();
	expect(lifecycle.view).toMatchObject({deploymentArn: mine.serviceDeploymentArn, stage: 'POST_TEST_TRAFFIC_SHIFT', hook: {id: 'gate-1', status: 'AWAITING_ACTION'}});
	expect(lifecycle.waiting).toBe(true);
	expect(host.asked.map(q => q.id)).toContain('approve-deployment');
	// Following a deployment in progress: described each poll, not listed again.
	await lifecycle.poll();
	expect(calls).toEqual(['list', 'describe earlier', 'list', 'describe earlier', 'list', 'describe mine', 'describe mine']);
});
