import {describe, expect, test} from 'vitest';
import {beforeDeployFamily, beforeDeployTaskDefinition} from '../../../source/domain/template/before-deploy.js';
import {buildTemplate} from '../../../source/domain/template/build.js';
import {errorLines, minimalRecipe, resolveObject} from '../../helpers/recipes.js';

/* service.beforeDeploy: checked with errors naming the field; the task definition it runs, resolved from the template. */

function withTasks(beforeDeploy: unknown, change: (r: Record<string, any>) => void = () => {}) {
	const recipe = minimalRecipe();
	recipe['service'].beforeDeploy = beforeDeploy;
	change(recipe);
	return recipe;
}

const errors = (recipe: Record<string, any>) => errorLines(resolveObject(recipe, {images: {web: {tag: '1.0.0'}}, releaseVersion: '1.0.0'}).problems);
const migrate = {name: 'migrate', container: 'web', command: ['npm', 'run', 'migrate']};

describe('beforeDeploy validation', () => {
	test('a task with a name, a container of the service and a command is accepted; the timeout defaults to 15 minutes', () => {
		const {resolved, problems} = resolveObject(withTasks([migrate]), {images: {web: {tag: '1.0.0'}}});
		expect(errorLines(problems)).toEqual([]);
		expect(resolved!.service.beforeDeploy).toEqual([{...migrate, timeoutMinutes: 15}]);
	});

	test('a container that is not the service\'s is named with the containers there are', () => {
		expect(errors(withTasks([{...migrate, container: 'worker'}]))).toEqual(['service.beforeDeploy[0].container: "worker" is not a container of the service (web)']);
	});

	test('names must be unique and well formed', () => {
		expect(errors(withTasks([migrate, {...migrate}]))).toEqual(['service.beforeDeploy[1].name: "migrate" is already the name of beforeDeploy[0]: task names must be unique']);
		expect(errors(withTasks([{...migrate, name: 'run migrations!'}]))[0]).toMatch(/^service\.beforeDeploy\[0\]\.name: /);
	});

	test('the timeout is 1 to 120 minutes', () => {
		expect(errors(withTasks([{...migrate, timeoutMinutes: 0}]))[0]).toMatch(/^service\.beforeDeploy\[0\]\.timeoutMinutes: must be at least 1/);
		expect(errors(withTasks([{...migrate, timeoutMinutes: 121}]))[0]).toMatch(/^service\.beforeDeploy\[0\]\.timeoutMinutes: .*120/);
		expect(errors(withTasks([{...migrate, timeoutMinutes: 120}]))).toEqual([]);
	});

	test('the command is bounded: at least one word, at most 64, no empty word, 4,096 characters in all', () => {
		expect(errors(withTasks([{...migrate, command: []}]))[0]).toMatch(/^service\.beforeDeploy\[0\]\.command: /);
		expect(errors(withTasks([{...migrate, command: Array.from({length: 65}, () => 'x')}]))[0]).toMatch(/^service\.beforeDeploy\[0\]\.command: .*64/);
		expect(errors(withTasks([{...migrate, command: ['npm', ' ']}]))).toEqual(['service.beforeDeploy[0].command[1]: is empty: every word of the command must hold text']);
		expect(errors(withTasks([{...migrate, command: ['sh', '-c', 'x'.repeat(4100)]}]))).toEqual(['service.beforeDeploy[0].command: is 4104 characters long; at most 4096 are allowed (RunTask limits its overrides)']);
	});

	test('at most five tasks; a missing field is named', () => {
		expect(errors(withTasks(Array.from({length: 6}, (_, i) => ({...migrate, name: `m${i}`}))))[0]).toMatch(/^service\.beforeDeploy: .*5/);
		expect(errors(withTasks([{name: 'migrate', container: 'web'}]))[0]).toMatch(/^service\.beforeDeploy\[0\]\.command: /);
	});
});

describe('the beforeDeploy task definition', () => {
	const facts = {stackName: 'shop-dev', region: 'eu-west-1', accountId: '111122223333', partition: 'aws'};

	function built(change: (r: Record<string, any>) => void = () => {}) {
		const recipe = withTasks([migrate], change);
		const {resolved, problems} = resolveObject(recipe, {images: {web: {tag: '2.0.0'}}, releaseVersion: '2.0.0', target: {region: 'eu-west-1', cluster: 'main', accountId: '111122223333'}});
		if (!resolved) throw new Error(JSON.stringify(problems));
		return buildTemplate(resolved);
	}

	test('the service\'s task definition for the new release, its references resolved from the stack', () => {
		const made = beforeDeployTaskDefinition(built(), {...facts, physicalIds: {TaskExecutionRole: 'shop-dev-TaskExecutionRole-AbC123', LogGroup: '/ecs/shop/dev'}});
		expect(made).toEqual({
			registration: expect.objectContaining({
				family: 'shop-dev-before-deploy',
				cpu: '256',
				memory: '512',
				networkMode: 'awsvpc',
				requiresCompatibilities: ['FARGATE'],
				executionRoleArn: 'arn:aws:iam::111122223333:role/ecs-deployer/shop-dev/shop-dev-TaskExecutionRole-AbC123',
				containerDefinitions: [
					expect.objectContaining({
						name: 'web',
						image: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop-web:2.0.0',
						logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': '/ecs/shop/dev', 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': 'web'}},
					}),
				],
			}),
		});
	});

	test('a stack that does not hold what it refers to yet: the references are named', () => {
		expect(beforeDeployTaskDefinition(built(), {...facts, physicalIds: {}})).toEqual({missing: ['LogGroup', 'TaskExecutionRole']});
	});

	test('a recipe that names its own role and log group needs nothing from the stack; labels and log options keep their keys', () => {
		const made = beforeDeployTaskDefinition(
			built(r => {
				r['service'].executionRole = 'arn:aws:iam::111122223333:role/exec';
				r['service'].containers[0].logging = {type: 'manual', driver: 'awslogs', options: {'awslogs-group': 'g', 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': 'p'}};
				r['service'].containers[0].dockerLabels = {'Com.Example': 'x'};
			}),
			{...facts, physicalIds: {}},
		);
		expect(made).toMatchObject({registration: {executionRoleArn: 'arn:aws:iam::111122223333:role/exec', containerDefinitions: [{dockerLabels: {'Com.Example': 'x'}, logConfiguration: {options: {'awslogs-group': 'g'}}}]}});
	});

	test('the family keeps within 255 characters', () => {
		expect(beforeDeployFamily('f'.repeat(255))).toHaveLength(255);
		expect(beforeDeployFamily('shop-dev')).toBe('shop-dev-before-deploy');
	});
});
