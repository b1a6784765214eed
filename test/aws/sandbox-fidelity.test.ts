import {mkdtemp, readdir, readFile, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {planDelete, planExecution} from '../../source/aws/sandbox/operations.js';
import {emptyState, type StackData} from '../../source/aws/sandbox/state.js';
import {seedRepositories} from '../../source/aws/sandbox/seed.js';
import {fargateTemplate, sandbox} from './sandbox-driver.js';

/** The template with a NoEcho parameter that a Secrets Manager secret and the container read. */
const withSecret = (extra: (resources: Record<string, {Type: string; Properties: Record<string, unknown>}>) => void = () => {}) =>
	fargateTemplate(t => {
		t.Parameters['DbPassword'] = {Type: 'String', NoEcho: true};
		t.Parameters['SecretDbPassword'] = {Type: 'String', NoEcho: true};
		t.Resources['DbPasswordSecret'] = {Type: 'AWS::SecretsManager::Secret', Properties: {Name: {'Fn::Sub': '${AWS::StackName}/db-password'}, SecretString: {Ref: 'DbPassword'}}};
		t.Resources['ReadSecrets'] = {
			Type: 'AWS::IAM::Policy',
			Properties: {
				PolicyName: 'read-secrets',
				Roles: ['existing-execution-role'],
				PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: {Ref: 'DbPasswordSecret'}}]},
			},
		};
		const container = (t.Resources['TaskDefinition']!.Properties['ContainerDefinitions'] as Array<Record<string, unknown>>)[0]!;
		container['Environment'] = [{Name: 'API_KEY', Value: {'Fn::Sub': 'key-${SecretDbPassword}'}}];
		extra(t.Resources);
	});

describe('NoEcho parameters are stored the way AWS shows them', () => {
	test('the state file never holds the value; DescribeStacks shows ****; a keyed digest still tells same from new', async () => {
		const dir = await mkdtemp(path.join(tmpdir(), 'sandbox-noecho-'));
		const file = path.join(dir, 'sandbox.json');
		const {apply, aws} = sandbox({file});
		const secrets = {DbPassword: 'S3cr3tCanary123', SecretDbPassword: 'Canary456Value'};
		const {stack} = await apply('noecho', withSecret(), {parameters: secrets});
		expect(stack?.StackStatus).toBe('CREATE_COMPLETE');
		const saved = await readFile(file, 'utf8');
		expect(saved).not.toContain('S3cr3tCanary123');
		expect(saved).not.toContain('Canary456Value');
		// Decided by the template's NoEcho, not by the parameter's name.
		expect(stack?.Parameters).toEqual(expect.arrayContaining([
			{ParameterKey: 'DbPassword', ParameterValue: '****'},
			{ParameterKey: 'SecretDbPassword', ParameterValue: '****'},
			{ParameterKey: 'ImageTagWeb', ParameterValue: '1.4.0'},
		]));

		// The same values again: no changes, as with AWS.
		const same = await apply('noecho', withSecret(), {parameters: secrets});
		expect(same.changeSet).toMatchObject({Status: 'FAILED', StatusReason: "The submitted information didn't contain changes. Submit different information to create a change set."});
		// A new password: a change, to the secret that holds it; the value still never reaches the file.
		const changed = await apply('noecho', withSecret(), {parameters: {...secrets, DbPassword: 'N3wCanary789'}});
		expect(changed.changeSet.Status).toBe('CREATE_COMPLETE');
		expect(changed.changeSet.Changes?.map(c => c.ResourceChange?.LogicalResourceId)).toContain('DbPasswordSecret');
		expect(changed.stack?.StackStatus).toBe('UPDATE_COMPLETE');
		expect(await readFile(file, 'utf8')).not.toContain('N3wCanary789');
		expect((await aws.cloudFormation.describeStacks({StackName: 'noecho'})).Stacks?.[0]?.Parameters?.find(p => p.ParameterKey === 'DbPassword')?.ParameterValue).toBe('****');
	});

	test('a change set that is not executed keeps only the digest too', async () => {
		const dir = await mkdtemp(path.join(tmpdir(), 'sandbox-noecho-'));
		const file = path.join(dir, 'sandbox.json');
		const {aws} = sandbox({file});
		await aws.cloudFormation.createChangeSet({StackName: 'pending', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: withSecret(), Capabilities: ['CAPABILITY_IAM'], Parameters: [{ParameterKey: 'DbPassword', ParameterValue: 'PendingCanary1'}, {ParameterKey: 'SecretDbPassword', ParameterValue: 'PendingCanary2'}]});
		const saved = await readFile(file, 'utf8');
		expect(saved).not.toMatch(/PendingCanary/);
		expect(saved).toContain('****');
	});

	test('the digests are keyed: two sandboxes do not store the same digest for the same value', async () => {
		const digests = [];
		for (const n of [1, 2]) {
			const dir = await mkdtemp(path.join(tmpdir(), `sandbox-key-${n}-`));
			const {apply} = sandbox({file: path.join(dir, 'sandbox.json')});
			await apply('keyed', withSecret(), {parameters: {DbPassword: 'SameValue', SecretDbPassword: 'SameValue'}});
			const state = JSON.parse(await readFile(path.join(dir, 'sandbox.json'), 'utf8')) as {stacks: StackData[]};
			digests.push(state.stacks[0]!.noEcho!.current['DbPassword']);
		}
		expect(digests[0]).toMatch(/^[0-9a-f]{64}$/);
		expect(digests[0]).not.toBe(digests[1]);
	});

	test('the key of the digests is not in the state file, so the file cannot confirm a guess; another process sees a change', async () => {
		const dir = await mkdtemp(path.join(tmpdir(), 'sandbox-key-'));
		const file = path.join(dir, 'sandbox.json');
		const secrets = {DbPassword: 'GuessMe1', SecretDbPassword: 'GuessMe2'};
		await sandbox({file}).apply('keyed', withSecret(), {parameters: secrets});
		const state = JSON.parse(await readFile(file, 'utf8')) as {stacks: Array<StackData & {noEcho: Record<string, unknown>}>};
		expect(Object.keys(state.stacks[0]!.noEcho).sort()).toEqual(['changeSets', 'current']);
		expect(JSON.stringify(state)).not.toMatch(/"key"\s*:/);
		// A second account object on the file (another process) cannot tell the same value from a new one.
		const again = await sandbox({file}).apply('keyed', withSecret(), {parameters: secrets});
		expect(again.changeSet.Status).toBe('CREATE_COMPLETE');
	});

	test('a state file of an older version, with the key in it, is read and the key is not written back', async () => {
		const dir = await mkdtemp(path.join(tmpdir(), 'sandbox-old-key-'));
		const file = path.join(dir, 'sandbox.json');
		await sandbox({file}).apply('old', withSecret(), {parameters: {DbPassword: 'a', SecretDbPassword: 'b'}});
		const state = JSON.parse(await readFile(file, 'utf8')) as {stacks: Array<{noEcho: Record<string, unknown>}>};
		state.stacks[0]!.noEcho['key'] = 'c2VjcmV0LWtleQ==';
		await writeFile(file, JSON.stringify(state));
		await sandbox({file}).apply('old', withSecret(), {parameters: {DbPassword: 'a2', SecretDbPassword: 'b'}});
		expect(await readFile(file, 'utf8')).not.toContain('c2VjcmV0LWtleQ==');
	});
});

describe('Secrets Manager secrets and IAM policies', () => {
	test('are made like the log group and the role, with their physical ids, before the task definition', async () => {
		const {apply, events, aws} = sandbox();
		const {stack} = await apply('made', withSecret(), {parameters: {DbPassword: 'x', SecretDbPassword: 'y'}});
		expect(stack?.StackStatus).toBe('CREATE_COMPLETE');
		const all = await events('made');
		const secret = all.filter(e => e.LogicalResourceId === 'DbPasswordSecret');
		expect(secret.map(e => [e.ResourceStatus, e.ResourceStatusReason])).toEqual([
			['CREATE_IN_PROGRESS', undefined],
			['CREATE_IN_PROGRESS', 'Resource creation Initiated'],
			['CREATE_COMPLETE', undefined],
		]);
		expect(secret.at(-1)?.PhysicalResourceId).toMatch(/^arn:aws:secretsmanager:eu-west-1:123456789012:secret:made\/db-password-[A-Za-z0-9]{6}$/);
		const policy = all.filter(e => e.LogicalResourceId === 'ReadSecrets');
		expect(policy.map(e => e.ResourceStatus)).toEqual(['CREATE_IN_PROGRESS', 'CREATE_IN_PROGRESS', 'CREATE_COMPLETE']);
		expect(policy.at(-1)?.PhysicalResourceId).toMatch(/^[\w-]+-[A-Z0-9]{12}$/);
		const order = all.map(e => `${e.LogicalResourceId} ${e.ResourceStatus}`);
		// The policy needs its role and the secret it grants; the task definition needs both.
		expect(order.indexOf('TaskExecutionRole CREATE_COMPLETE')).toBeLessThan(order.indexOf('ReadSecrets CREATE_IN_PROGRESS'));
		expect(order.indexOf('ReadSecrets CREATE_COMPLETE')).toBeLessThan(order.indexOf('TaskDefinition CREATE_IN_PROGRESS'));
		// The outputs the engine reads are still there.
		const outputs = Object.fromEntries((stack?.Outputs ?? []).map(o => [o.OutputKey, o.OutputValue]));
		expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['ServiceArn', 'TaskDefinitionArn', 'ClusterName', 'LogGroupName']));
		expect(outputs['LogGroupName']).toBe('/ecs/demo/dev');
		// ListStackResources lists them with the same ids.
		const resources = (await aws.cloudFormation.listStackResources({StackName: 'made'})).StackResourceSummaries ?? [];
		expect(resources.find(r => r.LogicalResourceId === 'DbPasswordSecret')).toMatchObject({ResourceType: 'AWS::SecretsManager::Secret', ResourceStatus: 'CREATE_COMPLETE', PhysicalResourceId: secret.at(-1)?.PhysicalResourceId});
	});

	test('a policy needs CAPABILITY_IAM', async () => {
		const {aws} = sandbox();
		const body = fargateTemplate(t => {
			delete t.Resources['TaskExecutionRole'];
			t.Resources['TaskDefinition']!.Properties['ExecutionRoleArn'] = 'arn:aws:iam::123456789012:role/existing';
			t.Resources['ReadSecrets'] = {Type: 'AWS::IAM::Policy', Properties: {PolicyName: 'p', Roles: ['existing'], PolicyDocument: {Version: '2012-10-17', Statement: []}}};
		});
		await expect(aws.cloudFormation.createChangeSet({StackName: 'cap', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: body})).rejects.toMatchObject({name: 'InsufficientCapabilitiesException', message: 'Requires capabilities : [CAPABILITY_IAM]'});
	});

	test('a failed create deletes them again; DeleteStack deletes them', async () => {
		const {apply, events, aws, advance} = sandbox();
		// A crash-looping image: the circuit breaker fails the service, the create rolls back.
		const failed = await apply('gone', withSecret(), {parameters: {DbPassword: 'x', SecretDbPassword: 'y', ImageTagWeb: '1.4.1-crashloop'}});
		expect(failed.stack?.StackStatus).toBe('ROLLBACK_COMPLETE');
		const rolledBack = await events('gone');
		for (const id of ['ReadSecrets', 'DbPasswordSecret']) expect(rolledBack.filter(e => e.LogicalResourceId === id).at(-1)?.ResourceStatus).toBe('DELETE_COMPLETE');

		const {stack} = await apply('kept', withSecret(), {parameters: {DbPassword: 'x', SecretDbPassword: 'y'}});
		expect(stack?.StackStatus).toBe('CREATE_COMPLETE');
		await aws.cloudFormation.deleteStack({StackName: 'kept'});
		advance(60_000);
		const deleted = await events(stack!.StackId!);
		const deletes = deleted.filter(e => e.ResourceStatus === 'DELETE_COMPLETE').map(e => e.LogicalResourceId);
		// The service goes first, what it needs after it.
		expect(deletes).toEqual(['Service', 'TaskDefinition', 'ReadSecrets', 'LogGroup', 'TaskExecutionRole', 'DbPasswordSecret', 'kept']);
	});
});

describe('operation steps', () => {
	test('are plain data: a plan survives the state file unchanged', () => {
		const state = emptyState();
		seedRepositories(state, 0);
		const stack: StackData = {id: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/s/1', name: 's', status: 'CREATE_IN_PROGRESS', created: 0, parameters: {}, tags: [], outputs: {}, events: [], changeSets: [], taskDefinitionRevision: 0};
		state.stacks.push(stack);
		for (const tag of ['1.4.0', '1.4.1-crashloop', '1.4.1-unpullable']) {
			const steps = planExecution(state, stack, {body: withSecret(), parameters: {ImageTagWeb: tag, DbPassword: '****', SecretDbPassword: '****'}, changedParameters: [], creating: true, token: 'token-0123456789ab', now: 0, speed: 1});
			expect(JSON.parse(JSON.stringify(steps))).toEqual(steps);
			expect(new Set(steps.map(s => s.kind)).size).toBeGreaterThan(4);
		}
		expect(JSON.parse(JSON.stringify(planDelete(stack, 't', 0, 1)))).toEqual(planDelete(stack, 't', 0, 1));
	});

	test('the sandbox code has no `any`', async () => {
		const folder = 'source/aws/sandbox';
		for (const file of (await readdir(folder)).filter(f => f.endsWith('.ts'))) {
			const text = await readFile(path.join(folder, file), 'utf8');
			expect(text, file).not.toMatch(/:\s*any\b|\bas any\b|<any>|Record<string, any>/);
		}
	});
});

describe('a task definition the stack names', () => {
	test('can be described at every moment of a create and an update, as on AWS (the handler registers it before the stack names its ARN)', async () => {
		const {aws, advance, now} = sandbox();
		const stackName = 'names-only-registered';
		const checkEvery = async (untilMs: number) => {
			const until = now() + untilMs;
			const named = new Set<string>();
			for (; now() < until; advance(100)) {
				const resources = (await aws.cloudFormation.listStackResources({StackName: stackName})).StackResourceSummaries ?? [];
				const arn = resources.find(r => r.LogicalResourceId === 'TaskDefinition')?.PhysicalResourceId;
				if (!arn) continue;
				named.add(arn);
				await expect(aws.ecs.describeTaskDefinition({taskDefinition: arn}), `${arn} at ${new Date(now()).toISOString()}`).resolves.toMatchObject({taskDefinition: {taskDefinitionArn: arn}});
			}
			return named;
		};
		const start = async (tag: string) => {
			const created = await aws.cloudFormation.createChangeSet({StackName: stackName, ChangeSetName: `tag-${tag.replaceAll('.', '-')}`, ChangeSetType: tag === '1.3.0' ? 'CREATE' : 'UPDATE', TemplateBody: fargateTemplate(), Parameters: [{ParameterKey: 'ImageTagWeb', ParameterValue: tag}], Capabilities: ['CAPABILITY_IAM']});
			advance(1000);
			await aws.cloudFormation.executeChangeSet({ChangeSetName: created.Id!, StackName: stackName, ClientRequestToken: `token-${tag.replaceAll('.', '-')}-0123456789ab`});
		};
		await start('1.3.0');
		expect((await checkEvery(120_000)).size).toBe(1);
		await start('1.4.0');
		// The old revision, then the new one.
		expect((await checkEvery(120_000)).size).toBe(2);
	});
});

describe('tasks a scaling change starts', () => {
	test('move on at the sandbox speed, as a rollout does: PENDING, ACTIVATING, RUNNING 2 s apart in AWS time', async () => {
		const speed = 100;
		const {aws, apply, advance} = sandbox({speed});
		await apply('scaled', fargateTemplate(), {wait: 120_000 / speed});
		const service = (await aws.cloudFormation.listStackResources({StackName: 'scaled'})).StackResourceSummaries!.find(r => r.LogicalResourceId === 'Service')!.PhysicalResourceId!;
		expect((await aws.ecs.describeServices({cluster: 'sandbox', services: [service]})).services?.[0]?.runningCount).toBe(1);
		await aws.ecs.updateService({cluster: 'sandbox', service, desiredCount: 3});
		advance(5000 / speed);
		expect((await aws.ecs.describeServices({cluster: 'sandbox', services: [service]})).services?.[0]).toMatchObject({desiredCount: 3, runningCount: 1});
		advance(1000 / speed + 1);
		expect((await aws.ecs.describeServices({cluster: 'sandbox', services: [service]})).services?.[0]).toMatchObject({desiredCount: 3, runningCount: 3});
	});
});
