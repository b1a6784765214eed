import {afterEach, beforeEach, expect, test} from 'vitest';
import {createAwsPorts} from '../../source/aws/clients.js';
import {buildTemplate} from '../../source/domain/template/build.js';
import {attach} from '../../source/engine/attach.js';
import {deploy, type DeployDeps} from '../../source/engine/deploy.js';
import type {EngineEvent} from '../../source/engine/events.js';
import {cluster, FakeAws, region} from '../helpers/fake-aws.js';
import {minimalRecipe, resolveObject} from '../helpers/recipes.js';

let fake: FakeAws;
let ids = 0;
beforeEach(() => {
	fake = new FakeAws();
});
afterEach(() => fake.restore());

function setup(tag: string, events: EngineEvent[], signal?: AbortSignal): {resolved: any; built: any; deps: DeployDeps} {
	const {resolved} = resolveObject(minimalRecipe(), {images: {web: {tag}}, releaseVersion: tag, target: {region, cluster}});
	const deps: DeployDeps = {
		aws: createAwsPorts({region}),
		host: {notify: e => events.push(e), confirm: async q => q.defaultAnswer},
		clock: fake.clock,
		polling: {activeMs: 2000, idleMs: 8000, jitter: 0, throttleBaseMs: 1000, throttleMaxMs: 30_000, random: () => 0.5},
		newId: () => `id-${++ids}`,
		...(signal ? {signal} : {}),
	};
	return {resolved, built: buildTemplate(resolved!), deps};
}

test('after an interrupted deploy, attach follows the same operation to its end', async () => {
	const first = setup('1.0.0', []);
	await deploy(first.resolved, first.built, {}, first.deps);

	const controller = new AbortController();
	fake.atSleep(3, () => controller.abort());
	fake.scenario = 'slow';
	const second = setup('1.1.0', [], controller.signal);
	expect((await deploy(second.resolved, second.built, {}, second.deps)).outcome).toBe('detached');

	const events: EngineEvent[] = [];
	const again = setup('1.1.0', events);
	const result = await attach(again.resolved, again.built, again.deps);
	expect(result).toMatchObject({outcome: 'succeeded', stackStatus: 'UPDATE_COMPLETE'});
	expect(events[0]).toMatchObject({code: 'note', message: 're-attached to shop-dev (UPDATE_IN_PROGRESS)'});
	expect(events.some(e => e.code === 'stack.event' && e.event.logicalId === 'Service' && e.event.status === 'UPDATE_COMPLETE')).toBe(true);
	expect(fake.count('ExecuteChangeSet')).toBe(2);
});

test('with nothing running, attach reports how the last operation ended and why', async () => {
	const first = setup('1.0.0', []);
	await deploy(first.resolved, first.built, {}, first.deps);
	fake.scenario = 'circuit-breaker';
	const second = setup('1.1.0', []);
	await deploy(second.resolved, second.built, {}, second.deps);

	const again = setup('1.1.0', []);
	const result = await attach(again.resolved, again.built, again.deps);
	expect(result.outcome).toBe('rolled-back');
	expect(result.reasons.map(r => r.message)).toEqual(expect.arrayContaining(['exited with exit code 1', 'ECS Deployment Circuit Breaker was triggered (GeneralServiceException)']));
	// Why the tasks failed comes before the circuit breaker that reacted to it.
	expect(result.reasons[0]?.message).toBe('exited with exit code 1');
});

test('attach to an environment that was never deployed says so', async () => {
	const {resolved, built, deps} = setup('1.0.0', []);
	expect(await attach(resolved, built, deps)).toMatchObject({outcome: 'failed', message: 'there is no stack shop-dev: dev has not been deployed'});
});
