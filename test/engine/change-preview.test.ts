import {readFile} from 'node:fs/promises';
import {parse} from 'yaml';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import type {ChangeView, EngineEvent} from '../../source/engine/core/host.js';
import type {DeployReleaseInput} from '../../source/engine/deploy/deploy-release.js';
import {harness, recordingHost, target, type Harness} from '../helpers/engine.js';

/*
 * The change preview: what each change does, property by property, from the change set's values
 * (IncludePropertyValues) or, on an endpoint without them, from the stack's template against the new one.
 */

let h: Harness;
beforeEach(async () => {
	h = await harness();
});
afterEach(() => h.fake.restore());

async function deploy(tag: string, options: Partial<DeployReleaseInput> & {answers?: Parameters<typeof recordingHost>[0]} = {}) {
	const {answers, ...input} = options;
	const host = recordingHost({'execute-change-set': true, 'skip-lifecycle': true, ...answers});
	const result = await h.engine.deploy({recipeFile: h.example('hello-color'), environment: 'dev', target, reattach: 'watch', images: {web: tag}, ...input}, host).result;
	return {result, events: host.events, asked: host.asked};
}

const previewed = (result: object) => (result as {changes: ChangeView[]}).changes;
const change = (changes: readonly ChangeView[], id: string) => changes.find(c => c.logicalId === id)!;

describe('the change preview', () => {
	test('a tag change shows the image tag and digest before → after, each property with its values, and why the task definition is replaced', async () => {
		await deploy('1.3.0');
		const {result, events} = await deploy('1.4.0', {preview: true});
		expect(result.outcome).toBe('previewed');
		expect(h.fake.calls.filter(c => c.command === 'DescribeChangeSet').every(c => c.input.IncludePropertyValues === true)).toBe(true);
		const task = change(previewed(result), 'TaskDefinition');
		expect(task).toMatchObject({action: 'Modify', replacement: 'True', detail: {source: 'change-set'}});
		expect(task.detail!.images).toEqual([
			{container: 'web', before: expect.objectContaining({tag: '1.3.0', digest: expect.stringMatching(/^sha256:/)}), after: expect.objectContaining({tag: '1.4.0', digest: expect.stringMatching(/^sha256:/)})},
		]);
		expect(task.detail!.images[0]!.before!.digest).not.toBe(task.detail!.images[0]!.after!.digest);
		expect(task.detail!.properties).toContainEqual(expect.objectContaining({path: 'Tags[ecs-deployer:release]', before: '1.3.0', after: '1.4.0'}));
		expect(task.detail!.replacementCause).toMatch(/new revision/);
		const service = change(previewed(result), 'Service');
		expect(service.detail!.properties).toContainEqual(expect.objectContaining({path: 'TaskDefinition', before: expect.stringMatching(/task-definition\/hello-color-dev:1$/), after: '(known after apply)'}));
		// The same data goes to the hosts: the JSON printer prints the event as it is.
		const ready = events.find((e): e is Extract<EngineEvent, {code: 'changeset.ready'}> => e.code === 'changeset.ready')!;
		expect(ready.changes).toEqual(previewed(result));
	});

	test('an endpoint whose change set has no values: the stack\'s template against the new one gives the same changes', async () => {
		await deploy('1.3.0');
		h.fake.answer('DescribeChangeSet', output => {
			for (const c of output.Changes ?? []) {
				delete c.ResourceChange.BeforeContext;
				delete c.ResourceChange.AfterContext;
				delete c.ResourceChange.Details;
			}
			return output;
		});
		const {result} = await deploy('1.4.0', {preview: true});
		expect(h.fake.count('GetTemplate')).toBe(1);
		const task = change(previewed(result), 'TaskDefinition');
		expect(task.detail).toMatchObject({source: 'template', images: [{container: 'web', before: {tag: '1.3.0'}, after: {tag: '1.4.0'}}]});
		expect(task.detail!.replacementCause).toMatch(/new revision/);
		// The service refers to the replaced task definition: it changes too, though its template text does not.
		expect(change(previewed(result), 'Service').detail!.properties).toContainEqual({path: 'TaskDefinition', before: 'TaskDefinition (current)', after: '(known after apply)'});
	});

	test('the question shows the changes with their values; an older release than the one running is warned', async () => {
		await deploy('1.4.0');
		const {result, asked, events} = await deploy('1.3.0', {answers: {'execute-change-set': false}});
		expect(result.outcome).toBe('declined');
		const detail = asked.find(q => q.id === 'execute-change-set')!.detail!;
		expect(detail[0]).toBe('⚠ downgrade: release 1.3.0 is older than 1.4.0, which runs in dev now');
		expect(detail).toContainEqual(expect.stringMatching(/^Modify +TaskDefinition \(AWS::ECS::TaskDefinition\) \[replaced\]$/));
		expect(detail).toContainEqual(expect.stringMatching(/^ {4}image web: 1\.4\.0 → 1\.3\.0 \(sha256:/));
		expect(events).toContainEqual({code: 'warning', message: 'downgrade: release 1.3.0 is older than 1.4.0, which runs in dev now'});
	});

	test('a sensitive value that changes is shown masked, never as its value', async () => {
		const recipe = parse(await readFile(h.example('hello-color'), 'utf8')) as Record<string, any>;
		recipe['variables'] = [...recipe['variables'], {name: 'ApiKey', sensitive: true}];
		recipe['service'].containers[0].environment.API_KEY = '#{ApiKey}';
		const file = await h.recipeFile(recipe);
		await deploy('1.3.0', {recipeFile: file, answers: {values: {ApiKey: 'first-canary-1'}}});
		const {result, asked, events} = await deploy('1.3.0', {recipeFile: file, answers: {'execute-change-set': false, values: {ApiKey: 'second-canary-2'}}});
		expect(result.outcome).toBe('declined');
		const text = JSON.stringify({events, asked});
		expect(text).not.toMatch(/canary/);
		const detail = asked.find(q => q.id === 'execute-change-set')!.detail!;
		expect(detail.join('\n')).toMatch(/ApiKeySecret/);
	});
});
