import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import type {DeployReleaseInput} from '../../source/engine/deploy/deploy-release.js';
import type {Target} from '../../source/domain/records.js';
import {awsError} from '../helpers/fake-aws.js';
import {harness, recordingHost, target, type Harness} from '../helpers/engine.js';

/*
 * Verdicts from evidence: every run ends with a result (whatever error it met), "serving" only on ECS
 * evidence, what runs read from ECS rather than stack tags, and one name per state. The fake account's
 * answers are changed the way another endpoint (or an eventually consistent read) gives them.
 */

let h: Harness;
beforeEach(async () => {
	h = await harness();
});
afterEach(() => h.fake.restore());

async function deploy(tag: string, options: Partial<DeployReleaseInput> = {}) {
	const host = recordingHost({'execute-change-set': true});
	const run = h.engine.deploy({recipeFile: h.example('hello-color'), environment: 'dev', target, reattach: 'ecs-deployer --sandbox watch --recipe r.yaml --env dev', images: {web: tag}, ...options}, host);
	const result = await run.result;
	return {result, events: host.events};
}

const recipe = async () => {
	const {readRecipeFile} = await import('../../source/io/recipe-files.js');
	return (await readRecipeFile(h.example('hello-color'))).recipe!;
};

describe('every run ends with a result', () => {
	test('an error nobody classified (our own bug) ends the run as an error naming the step, the code and a hint; the record says so', async () => {
		await deploy('1.0.0');
		h.fake.failNext('CreateChangeSet', new TypeError("Cannot read properties of undefined (reading 'Id')"));
		const {result, events} = await deploy('1.1.0');
		expect(result).toMatchObject({outcome: 'error', step: 'change-set', code: 'TypeError'});
		expect(result.message).toContain("Cannot read properties of undefined (reading 'Id')");
		if (result.outcome === 'error') expect(result.hint).toMatch(/try again/);
		expect(events.at(-1)).toEqual({code: 'deploy.end', result});
		expect(h.workspace.deployments('hello-color').at(-1)).toMatchObject({version: '1.1.0', outcome: 'error'});
	});

	test('an answer that is not AWS (an HTML 500 page) is retried, then ends as an error saying so, not a hang', async () => {
		await deploy('1.0.0');
		const html = Object.assign(new Error('XML parse error: unexpected content.'), {$metadata: {httpStatusCode: 500}});
		h.fake.failNext('DescribeStacks', html, 20);
		const {result} = await deploy('1.1.0');
		expect(result).toMatchObject({outcome: 'error', step: 'plan', code: 'HTTP 500'});
		expect(result.message).toMatch(/answered with something that is not an AWS response \(HTTP 500\)/);
		if (result.outcome === 'error') expect(result.hint).toMatch(/endpoint/);
	});

	test('an AWS error the engine does not know ends as an error with the AWS code and message', async () => {
		h.fake.failNext('CreateChangeSet', awsError('ClusterNotFoundException', 'Cluster not found.'));
		const {result} = await deploy('1.0.0');
		expect(result).toMatchObject({outcome: 'error', code: 'ClusterNotFoundException'});
		expect(result.message).toContain('Cluster not found.');
		if (result.outcome === 'error') expect(result.hint).toMatch(/target verify/);
	});
});

describe('pre-flight', () => {
	test('a cluster that does not exist stops the deploy before any stack is touched; the deployment is recorded as failed', async () => {
		const missing: Target = {...target, name: 'gone', cluster: 'nope'};
		const {result} = await deploy('1.0.0', {target: missing});
		expect(result).toMatchObject({outcome: 'failed'});
		expect(result.message).toMatch(/Cluster not found: there is no ECS cluster nope/);
		expect(h.fake.count('CreateChangeSet')).toBe(0);
		expect(h.workspace.deployments('hello-color')).toMatchObject([{version: '1.0.0', outcome: 'failed', target: 'gone'}]);
	});

	test('a template CloudFormation refuses stops the deploy before the change set', async () => {
		h.fake.failNext('ValidateTemplate', awsError('ValidationError', 'Template format error: Unresolved resource dependencies [X] in the Resources block of the template'));
		const {result} = await deploy('1.0.0');
		expect(result).toMatchObject({outcome: 'failed'});
		expect(result.message).toMatch(/CloudFormation refused the template/);
		expect(h.fake.count('CreateChangeSet')).toBe(0);
	});
});

describe('serving only on ECS evidence', () => {
	/** An endpoint that gives no outputs after a change set and only stack-level events (moto does both). */
	const stackLevelOnly = () => {
		h.fake.answer('DescribeStacks', out => ({...out, Stacks: out.Stacks.map((s: object) => ({...s, Outputs: []}))}));
		h.fake.answer('DescribeStackEvents', out => ({...out, StackEvents: out.StackEvents.filter((e: any) => e.ResourceType === 'AWS::CloudFormation::Stack')}));
	};

	test('a stack without outputs or resource events: the service is found through the stack resources and confirmed', async () => {
		stackLevelOnly();
		const {result} = await deploy('1.0.0');
		expect(result.outcome).toBe('succeeded');
		if (result.outcome === 'succeeded') expect(result.confirmed).toEqual(expect.arrayContaining(['stack CREATE_COMPLETE', 'rollout COMPLETED', '1 of 1 tasks running']));
	});

	test('ECS still running the previous task definition after the stack succeeded is not serving: unconfirmed, saying what is missing', async () => {
		await deploy('1.0.0');
		stackLevelOnly();
		// An endpoint whose service keeps the first revision after an update (moto does this).
		h.fake.answer('DescribeServices', out => ({
			...out,
			services: out.services.map((s: any) => ({...s, taskDefinition: s.taskDefinition.replace(/:\d+$/, ':1'), deployments: s.deployments.filter((d: any) => d.status === 'PRIMARY').map((d: any) => ({...d, taskDefinition: d.taskDefinition.replace(/:\d+$/, ':1')}))})),
		}));
		const {result} = await deploy('1.1.0');
		expect(result.outcome).toBe('unconfirmed');
		if (result.outcome === 'unconfirmed') {
			expect(result.unconfirmed).toEqual(['its PRIMARY deployment runs hello-color-dev:1, not hello-color-dev:2 that the stack holds']);
			expect(result.confirmed).toContain('stack UPDATE_COMPLETE');
		}
		expect(result.message).toMatch(/the stack is UPDATE_COMPLETE, but release 1\.1\.0 could not be confirmed serving/);
		expect(h.workspace.deployments('hello-color').at(-1)).toMatchObject({version: '1.1.0', outcome: 'unconfirmed'});
	});

	test('a rollout that stays IN_PROGRESS with fewer tasks than desired is followed for a while, then unconfirmed, never succeeded', async () => {
		h.fake.answer('DescribeServices', out => ({
			...out,
			services: out.services.map((s: any) => ({...s, desiredCount: 2, runningCount: 1, deployments: s.deployments.map((d: any) => ({...d, desiredCount: 2, runningCount: 1, rolloutState: 'IN_PROGRESS'}))})),
		}));
		const {result} = await deploy('1.0.0');
		expect(result.outcome).toBe('unconfirmed');
		if (result.outcome === 'unconfirmed') expect(result.unconfirmed).toEqual(['rollout IN_PROGRESS, 1 of 2 tasks running']);
	});

	test('an unchanged redeploy is a no-op only when ECS shows the release serving', async () => {
		await deploy('1.0.0');
		h.fake.answer('ListStackResources', out => ({...out, StackResourceSummaries: out.StackResourceSummaries.filter((r: any) => r.ResourceType !== 'AWS::ECS::Service')}));
		const {result} = await deploy('1.0.0');
		expect(result.outcome).toBe('unconfirmed');
		expect(result.message).toMatch(/the stack had nothing to change/);
	});
});

describe('what runs now comes from AWS', () => {
	test('stack tags that were not updated do not decide: the running task definition does, and the disagreement is shown', async () => {
		await deploy('1.0.0');
		const first = (await h.engine.status(await recipe(), 'dev', target)).stackStatus;
		expect(first).toBe('CREATE_COMPLETE');
		// An endpoint that does not update stack tags on a change set execution.
		h.fake.answer('DescribeStacks', out => ({...out, Stacks: out.Stacks.map((s: any) => ({...s, Tags: s.Tags.map((t: any) => (t.Key === 'ecs-deployer:release' ? {...t, Value: '1.0.0'} : t))}))}));
		await deploy('1.1.0');
		const row = await h.engine.status(await recipe(), 'dev', target);
		expect(row).toMatchObject({release: '1.1.0', state: 'serving', images: {web: {tag: '1.1.0'}}});
		expect(row.disagreement).toBe('the stack is tagged release 1.0.0, the service runs release 1.1.0');
	});

	test('a service that runs an older task definition than the stack holds: status names what runs, unconfirmed', async () => {
		await deploy('1.0.0');
		await deploy('1.1.0');
		h.fake.answer('DescribeServices', out => ({
			...out,
			services: out.services.map((s: any) => ({...s, taskDefinition: s.taskDefinition.replace(/:\d+$/, ':1'), deployments: s.deployments.map((d: any) => ({...d, taskDefinition: d.taskDefinition.replace(/:\d+$/, ':1')}))})),
		}));
		const row = await h.engine.status(await recipe(), 'dev', target);
		expect(row).toMatchObject({release: '1.0.0', state: 'unconfirmed', images: {web: {tag: '1.0.0'}}});
		expect(row.disagreement).toMatch(/the stack holds hello-color-dev:2, the service runs hello-color-dev:1/);
	});
});

describe('one name per state', () => {
	test('UPDATE_ROLLBACK_FAILED is stuck: in the result, the record and status (not rolled back, not in progress)', async () => {
		await deploy('1.0.0');
		const {result} = await deploy('1.4.1-stuck-rollback');
		expect(result).toMatchObject({outcome: 'stuck', stackStatus: 'UPDATE_ROLLBACK_FAILED'});
		expect(h.workspace.deployments('hello-color').at(-1)).toMatchObject({outcome: 'stuck'});
		h.fake.advance(600_000);
		const row = await h.engine.status(await recipe(), 'dev', target);
		expect(row.state).toBe('stuck');
	});

	test('a cancelled deploy stays cancelled in the record and in status', async () => {
		await deploy('1.0.0');
		const host = recordingHost({'execute-change-set': true});
		const run = h.engine.deploy({recipeFile: h.example('hello-color'), environment: 'dev', target, reattach: 'x', images: {web: '1.4.1-slow'}}, host);
		h.fake.atSleep(3, () => run.cancel());
		const result = await run.result;
		expect(result.outcome).toBe('cancelled');
		expect(result.message).not.toMatch(/^cancelled/);
		expect(h.workspace.deployments('hello-color').at(-1)).toMatchObject({outcome: 'cancelled'});
		h.fake.advance(600_000);
		expect((await h.engine.status(await recipe(), 'dev', target)).state).toBe('cancelled');
	});
});

describe('no silent sandbox', () => {
	test('an environment no stored target serves has no target, in the app as in the CLI', () => {
		const picked = h.engine.pickTarget({}, 'dev');
		expect(picked).toMatchObject({path: '--target', error: expect.stringMatching(/no target serves dev/)});
	});

	test('choosing the sandbox stores a target marked as the sandbox; it then serves the environments it names', () => {
		h.engine.useSandbox(['qa']);
		const picked = h.engine.pickTarget({}, 'qa');
		expect(picked).toMatchObject({target: {sandbox: true, name: 'sandbox'}});
		expect(h.engine.targets().filter(t => t.sandbox)).toHaveLength(1);
	});
});

describe('operators racing on one stack', () => {
	test('a change set that lost the race (the stack is busy with another change) is planned again: it waits, then applies', async () => {
		await deploy('1.0.0');
		h.fake.failNext('CreateChangeSet', awsError('ValidationError', 'Stack:arn:aws:cloudformation:eu-west-1:123456789012:stack/hello-color-dev/1 is in UPDATE_IN_PROGRESS state and can not be updated.'));
		const {result, events} = await deploy('1.1.0');
		expect(result.outcome).toBe('succeeded');
		expect(events.some(e => e.code === 'note' && /another operator changed stack hello-color-dev meanwhile/.test(e.message))).toBe(true);
		expect(h.fake.count('CreateChangeSet')).toBe(3);
	});

	test('our change set deleted by another operator\'s execution: planned again, not an error', async () => {
		h.fake.failNext('DescribeChangeSet', awsError('ChangeSetNotFoundException', 'ChangeSet [ecs-deployer-id-0002] does not exist', 404));
		const {result} = await deploy('1.0.0');
		expect(result.outcome).toBe('succeeded');
	});
});
