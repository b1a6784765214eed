import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {harness, recordingHost, stackStatuses, target, type Harness} from '../helpers/engine.js';

let h: Harness;
beforeEach(async () => {
	h = await harness();
});
afterEach(() => h.fake.restore());

const input = () => ({recipeFile: h.example('hello-color'), environment: 'dev', target, reattach: 'watch'});

async function deploy(tag: string) {
	return h.engine.deploy({...input(), images: {web: tag}}, recordingHost({'execute-change-set': true, 'skip-lifecycle': true})).result;
}

describe('continuing a rollback that failed', () => {
	test('asks, calls ContinueUpdateRollback, follows the stack and ends rolled back with the verdict of what serves', async () => {
		await deploy('1.0.0');
		expect((await deploy('1.4.1-stuck-rollback')).outcome).toBe('stuck');
		const host = recordingHost();
		const result = await h.engine.continueRollback(input(), host).result;
		expect(host.asked).toEqual([expect.objectContaining({id: 'continue-rollback', defaultAnswer: true, flag: '--yes'})]);
		expect(h.fake.calls.find(c => c.command === 'ContinueUpdateRollback')!.input).toMatchObject({StackName: expect.stringMatching(/^arn:aws:cloudformation:/), ClientRequestToken: expect.any(String)});
		expect(stackStatuses(host.events)).toContain('UPDATE_ROLLBACK_COMPLETE');
		expect(host.events).toContainEqual({code: 'stack.operation', operation: 'continue-rollback'});
		expect(result).toMatchObject({outcome: 'rolled-back', stackStatus: 'UPDATE_ROLLBACK_COMPLETE', release: {version: '1.0.0'}});
		expect(result.message).toMatch(/the rollback was completed: the stack is UPDATE_ROLLBACK_COMPLETE and release 1\.0\.0 serves \(hello-color-dev:1;/);
		expect(host.events.at(-1)).toEqual({code: 'deploy.end', result});
	});

	test('no changes without a yes; a stack that is not stuck has nothing to continue', async () => {
		await deploy('1.0.0');
		const healthy = await h.engine.continueRollback(input(), recordingHost()).result;
		expect(healthy).toMatchObject({outcome: 'invalid', message: expect.stringMatching(/stack hello-color-dev is CREATE_COMPLETE, not stuck in UPDATE_ROLLBACK_FAILED/)});
		await deploy('1.4.1-stuck-rollback');
		const declined = await h.engine.continueRollback(input(), recordingHost({'continue-rollback': false})).result;
		expect(declined).toMatchObject({outcome: 'declined', question: 'continue-rollback'});
		expect(h.fake.count('ContinueUpdateRollback')).toBe(0);
	});
});
