import {describe, expect, test} from 'vitest';
import {describeChange, diffValues, downgradeWarning, formatPath, imageChangeText, referencesTo, resolveResources, type TemplateShape} from '../../source/domain/change-diff.js';

/** A task definition and a service much as the builder writes them; `tag` goes in the ImageTagWeb parameter. */
function template(options: {cpu?: string; color?: string; groups?: string[]; role?: unknown; release?: string} = {}): TemplateShape {
	return {
		Parameters: {ImageTagWeb: {Default: 'x'}, SecretDbPassword: {NoEcho: true}, ClusterName: {Default: 'sandbox'}},
		Resources: {
			TaskDefinition: {
				Type: 'AWS::ECS::TaskDefinition',
				Properties: {
					Family: 'hello-color-dev',
					Cpu: options.cpu ?? '256',
					Memory: '512',
					ExecutionRoleArn: options.role ?? {'Fn::GetAtt': ['ExecutionRole', 'Arn']},
					ContainerDefinitions: [
						{
							Name: 'web',
							Image: {'Fn::Sub': '${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/hello-color:${ImageTagWeb}'},
							Environment: [
								{Name: 'OCTO_COLOR', Value: options.color ?? '#f00'},
								{Name: 'DB_PASSWORD', Value: options.color === undefined ? 'hunter2' : 'hunter3'},
							],
						},
					],
					Tags: [{Key: 'ecs-deployer:release', Value: options.release ?? '1.4.0'}],
				},
			},
			DbPasswordSecret: {Type: 'AWS::SecretsManager::Secret', Properties: {SecretString: {Ref: 'SecretDbPassword'}}},
			Service: {
				Type: 'AWS::ECS::Service',
				Properties: {
					Cluster: {Ref: 'ClusterName'},
					TaskDefinition: {Ref: 'TaskDefinition'},
					NetworkConfiguration: {AwsvpcConfiguration: {Subnets: ['subnet-1'], SecurityGroups: options.groups ?? ['sg-1']}},
				},
			},
		},
	};
}

describe('resolving a template with its parameters', () => {
	test('Ref and ${Param} in Fn::Sub take the values given; NoEcho parameters stay ****; pseudo parameters stay as they are', () => {
		const resources = resolveResources(template(), {ImageTagWeb: '1.4.0', SecretDbPassword: 'never shown'});
		const task = resources['TaskDefinition']!.properties as {ContainerDefinitions: Array<{Image: unknown}>};
		expect(task.ContainerDefinitions[0]!.Image).toEqual({'Fn::Sub': '${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/hello-color:1.4.0'});
		expect(resources['DbPasswordSecret']!.properties['SecretString']).toBe('****');
		expect(resources['Service']!.properties['Cluster']).toBe('sandbox');
		expect(JSON.stringify(resources)).not.toContain('never shown');
	});

	test('Fn::Join of parts that became text is the text', () => {
		const resources = resolveResources({Parameters: {A: {Default: 'x'}}, Resources: {R: {Type: 'T', Properties: {V: {'Fn::Join': ['-', [{Ref: 'A'}, 'b']]}, W: {'Fn::Join': ['', [{Ref: 'Other'}, 'c']]}}}}}, {});
		expect(resources['R']!.properties).toEqual({V: 'x-b', W: {'Fn::Join': ['', [{Ref: 'Other'}, 'c']]}});
	});
});

describe('a change, property by property (template diff)', () => {
	const diff = (before: TemplateShape, after: TemplateShape, beforeTag: string, afterTag: string, id = 'TaskDefinition') => {
		const old = resolveResources(before, {ImageTagWeb: beforeTag})[id]!;
		const next = resolveResources(after, {ImageTagWeb: afterTag})[id]!;
		return describeChange({resourceType: old.type, action: 'Modify', before: old.properties, after: next.properties, source: 'template'});
	};

	test('an image tag change names the container and its tags; the task definition is replaced with a reason', () => {
		const change = diff(template(), template({release: '1.4.1'}), '1.4.0', '1.4.1');
		expect(change.images).toEqual([{container: 'web', before: expect.objectContaining({tag: '1.4.0'}), after: expect.objectContaining({tag: '1.4.1'})}]);
		expect(imageChangeText(change.images[0]!)).toBe('web: 1.4.0 → 1.4.1');
		expect(change.properties).toContainEqual(expect.objectContaining({path: 'ContainerDefinitions[web].Image', kind: 'image', recreation: 'Always'}));
		expect(change.properties).toContainEqual({path: 'Tags[ecs-deployer:release]', before: '1.4.0', after: '1.4.1', kind: 'tags', recreation: 'Never'});
		expect(change.replacementCause).toMatch(/cannot change in place: ContainerDefinitions changes, so a new revision is registered/);
	});

	test('environment variables show before → after; one whose name says secret is masked on both sides', () => {
		const change = diff(template(), template({color: '#0a0'}), '1.4.0', '1.4.0');
		expect(change.properties).toContainEqual(expect.objectContaining({path: 'ContainerDefinitions[web].Environment[OCTO_COLOR]', before: '#f00', after: '#0a0', kind: 'environment'}));
		expect(change.properties).toContainEqual(expect.objectContaining({path: 'ContainerDefinitions[web].Environment[DB_PASSWORD]', before: '****', after: '****', masked: true}));
		expect(JSON.stringify(change)).not.toMatch(/hunter/);
	});

	test('task size and roles are named; a role change marks the change IAM', () => {
		const change = diff(template(), template({cpu: '512', role: 'arn:aws:iam::1:role/other'}), '1', '1');
		expect(change.properties).toContainEqual(expect.objectContaining({path: 'Cpu', before: '256', after: '512', kind: 'size'}));
		expect(change.properties).toContainEqual(expect.objectContaining({path: 'ExecutionRoleArn', before: 'GetAtt ExecutionRole.Arn', after: 'arn:aws:iam::1:role/other', kind: 'iam'}));
		expect(change.marks).toEqual(['iam']);
	});

	test('a security group change marks the service NETWORK; the service is updated in place', () => {
		const change = diff(template(), template({groups: ['sg-1', 'sg-2']}), '1', '1', 'Service');
		expect(change.marks).toEqual(['network']);
		expect(change.properties).toEqual([expect.objectContaining({path: 'NetworkConfiguration.AwsvpcConfiguration.SecurityGroups[1]', after: 'sg-2', kind: 'network', recreation: 'Never'})]);
		expect(change.replacementCause).toBeUndefined();
	});

	test('a secret string is never shown, even when a given secret value would resolve into it', () => {
		const change = describeChange({resourceType: 'AWS::SecretsManager::Secret', action: 'Modify', before: {SecretString: 'old'}, after: {SecretString: 'new'}, source: 'template'});
		expect(change.properties).toEqual([expect.objectContaining({path: 'SecretString', before: '****', after: '****', masked: true})]);
		const elsewhere = describeChange({resourceType: 'AWS::ECS::TaskDefinition', action: 'Modify', before: {X: 'a'}, after: {X: 'postgres://app:s3cr3t@db'}, source: 'template'}, {secrets: ['s3cr3t']});
		expect(elsewhere.properties[0]).toMatchObject({before: '****', after: '****', masked: true});
	});

	test('keyed lists match items by Name: an inserted variable is one change, not a cascade', () => {
		const changes = diffValues({E: [{Name: 'A', Value: '1'}, {Name: 'B', Value: '2'}]}, {E: [{Name: 'A', Value: '1'}, {Name: 'C', Value: '3'}, {Name: 'B', Value: '2'}]});
		expect(changes.map(c => formatPath(c.path))).toEqual(['E[C]']);
		expect(diffValues({N: 256}, {N: '256'}), 'CloudFormation passes scalars as strings').toEqual([]);
	});
});

describe('a change, from the change set', () => {
	test('contexts give the values; details say what recreates (Always + Static replaces, Always + Dynamic may)', () => {
		const change = describeChange({
			resourceType: 'AWS::ECS::TaskDefinition',
			action: 'Modify',
			replacement: 'True',
			before: {ContainerDefinitions: [{Name: 'web', Image: 'r/hello-color:1.4.0'}]},
			after: {ContainerDefinitions: [{Name: 'web', Image: 'r/hello-color:1.4.1'}]},
			details: [{Target: {Attribute: 'Properties', Name: 'ContainerDefinitions', RequiresRecreation: 'Always'}, Evaluation: 'Static', ChangeSource: 'ParameterReference', CausingEntity: 'ImageTagWeb'}],
			source: 'change-set',
		});
		expect(change.properties).toEqual([{path: 'ContainerDefinitions[web].Image', before: 'r/hello-color:1.4.0', after: 'r/hello-color:1.4.1', kind: 'image', recreation: 'Always'}]);
		expect(change.images[0]).toMatchObject({before: {tag: '1.4.0'}, after: {tag: '1.4.1'}});
		const dynamic = describeChange({resourceType: 'AWS::ECS::Service', action: 'Modify', replacement: 'Conditional', before: {X: '1'}, after: {X: '2'}, details: [{Target: {Attribute: 'Properties', Name: 'X', RequiresRecreation: 'Always'}, Evaluation: 'Dynamic'}], source: 'change-set'});
		expect(dynamic.properties[0]!.recreation).toBe('Conditionally');
		expect(dynamic.replacementCause).toBe('X cannot change in place (it may be replaced)');
	});

	test('details alone (no contexts) still name the properties and their values', () => {
		const change = describeChange({
			resourceType: 'AWS::ECS::TaskDefinition',
			action: 'Modify',
			replacement: 'True',
			details: [{Target: {Attribute: 'Properties', Name: 'ContainerDefinitions', Path: '/Properties/ContainerDefinitions/0/Image', BeforeValue: 'r:1', AfterValue: 'r:2', RequiresRecreation: 'Always'}, Evaluation: 'Static'}],
			source: 'change-set',
		});
		expect(change.properties).toEqual([{path: 'ContainerDefinitions[0].Image', before: 'r:1', after: 'r:2', kind: 'image', recreation: 'Always'}]);
	});
});

describe('downgrades', () => {
	test('a lower semver than what runs is a downgrade; pre-releases and tags that are not semver follow semver', () => {
		expect(downgradeWarning('1.4.0', '1.3.0', 'dev')).toBe('downgrade: release 1.3.0 is older than 1.4.0, which runs in dev now');
		expect(downgradeWarning('1.4.0', '1.4.1-crashloop', 'dev')).toBeUndefined();
		expect(downgradeWarning('1.4.1', '1.4.1-rc.1', 'dev')).toMatch(/downgrade/);
		expect(downgradeWarning('latest', '1.0.0', 'dev')).toBeUndefined();
		expect(downgradeWarning(undefined, '1.0.0', 'dev')).toBeUndefined();
	});
});

describe('image changes as text', () => {
	test('tags before → after with short digests; a container that comes or goes has one side', () => {
		expect(imageChangeText({container: 'web', before: {image: 'r:1', tag: '1', digest: `sha256:${'a'.repeat(64)}`}, after: {image: 'r:2', tag: '2', digest: `sha256:${'b'.repeat(64)}`}})).toBe('web: 1 → 2 (sha256:aaaaaaaaaaaa → sha256:bbbbbbbbbbbb)');
		expect(imageChangeText({container: 'web', after: {image: 'r:2', tag: '2'}})).toBe('web: 2');
		expect(imageChangeText({container: 'old', before: {image: 'r:1', tag: '1'}})).toBe('old: 1 (removed)');
	});
});

describe('references to replaced resources', () => {
	test('Ref and GetAtt to a replaced resource are found by their path', () => {
		const found = referencesTo({TaskDefinition: {Ref: 'TaskDefinition'}, Role: {'Fn::GetAtt': ['Role', 'Arn']}, Other: {Ref: 'Keep'}, List: [{Name: 'x', Value: {Ref: 'TaskDefinition'}}]}, new Set(['TaskDefinition', 'Role']));
		expect(found).toEqual([
			{path: 'TaskDefinition', id: 'TaskDefinition'},
			{path: 'Role', id: 'Role'},
			{path: 'List[x].Value', id: 'TaskDefinition'},
		]);
	});
});
