import {describe, expect, test} from 'vitest';
import {buildTemplate} from '../../../source/domain/template/build.js';
import {checkTemplateAgainstSpec} from '../../helpers/cfn-spec.js';
import {errorLines, minimalRecipe, resolveObject} from '../../helpers/recipes.js';

/*
 * The container, task and service settings beyond the basics: each reaches the template under its ECS name,
 * the template stays clean against the CloudFormation resource specification, and out-of-range or
 * contradictory values are errors naming the field and what is allowed.
 */

function errorsAfter(change: (recipe: Record<string, any>) => void): string[] {
	const recipe = minimalRecipe();
	change(recipe);
	return errorLines(resolveObject(recipe).problems);
}

function built(change: (recipe: Record<string, any>) => void) {
	const recipe = minimalRecipe();
	change(recipe);
	const {resolved, problems} = resolveObject(recipe, {images: {web: {tag: '1.0.0'}}, releaseVersion: '1.0.0'});
	if (!resolved) throw new Error(JSON.stringify(problems));
	const template = buildTemplate(resolved).template;
	expect(checkTemplateAgainstSpec(template)).toEqual([]);
	return {
		task: template.Resources['TaskDefinition']!.Properties as Record<string, any>,
		service: template.Resources['Service']!.Properties as Record<string, any>,
		container: (template.Resources['TaskDefinition']!.Properties as Record<string, any>)['ContainerDefinitions'][0] as Record<string, any>,
		problems,
	};
}

const web = (recipe: Record<string, any>) => recipe['service'].containers[0];

describe('container settings', () => {
	test('each reaches the container definition under its ECS name', () => {
		const {container} = built(r => {
			r['service'].containers.push({name: 'log', image: 'web', essential: false});
			Object.assign(web(r), {
				user: '1000:1000',
				readonlyRootFilesystem: true,
				startTimeout: 30,
				stopTimeout: 120,
				ulimits: [{name: 'nofile', softLimit: 65_535, hardLimit: 65_535}],
				dockerLabels: {team: 'shop', 'com.example.tier': 'web'},
				volumesFrom: [{container: 'log', readOnly: true}],
				linuxParameters: {capabilities: {add: ['SYS_PTRACE'], drop: ['NET_RAW']}, initProcessEnabled: true},
				systemControls: [{namespace: 'net.core.somaxconn', value: '1024'}],
			});
		});
		expect(container).toMatchObject({
			User: '1000:1000',
			ReadonlyRootFilesystem: true,
			StartTimeout: 30,
			StopTimeout: 120,
			Ulimits: [{Name: 'nofile', SoftLimit: 65_535, HardLimit: 65_535}],
			DockerLabels: {'com.example.tier': 'web', team: 'shop'},
			VolumesFrom: [{SourceContainer: 'log', ReadOnly: true}],
			LinuxParameters: {Capabilities: {Add: ['SYS_PTRACE'], Drop: ['NET_RAW']}, InitProcessEnabled: true},
			SystemControls: [{Namespace: 'net.core.somaxconn', Value: '1024'}],
		});
	});

	test('left out, none of them is in the template', () => {
		const {container} = built(() => {});
		for (const key of ['User', 'ReadonlyRootFilesystem', 'StartTimeout', 'StopTimeout', 'Ulimits', 'DockerLabels', 'VolumesFrom', 'LinuxParameters', 'SystemControls']) expect(container).not.toHaveProperty(key);
	});

	test('timeouts are 2–120 seconds, as on Fargate', () => {
		expect(errorsAfter(r => (web(r).stopTimeout = 121))).toEqual(['service.containers[0].stopTimeout: must be at most 120']);
		expect(errorsAfter(r => (web(r).startTimeout = 1))).toEqual(['service.containers[0].startTimeout: must be at least 2']);
	});

	test('a user is user, user:group, uid or uid:gid', () => {
		expect(errorsAfter(r => (web(r).user = 'app:staff'))).toEqual([]);
		expect(errorsAfter(r => (web(r).user = 'a b'))).toEqual(['service.containers[0].user: "a b" is not a user: use user, user:group, uid or uid:gid (ids are positive whole numbers)']);
	});

	test('ulimits: known names, once each, soft not above hard', () => {
		expect(errorsAfter(r => (web(r).ulimits = [{name: 'files', softLimit: 1, hardLimit: 1}]))[0]).toMatch(/^service\.containers\[0\]\.ulimits\[0\]\.name: must be one of "core", .*"nofile".*, got "files"$/);
		expect(
			errorsAfter(r => (web(r).ulimits = [
				{name: 'nofile', softLimit: 2048, hardLimit: 1024},
				{name: 'nofile', softLimit: 1, hardLimit: 1},
			])),
		).toEqual(['service.containers[0].ulimits[0].softLimit: 2048 is above the hard limit (1024): the soft limit must not exceed it', 'service.containers[0].ulimits[1].name: nofile is already set by ulimits[0]: set each limit once']);
	});

	test('volumesFrom names another container of the task', () => {
		expect(errorsAfter(r => (web(r).volumesFrom = [{container: 'web'}]))).toEqual(['service.containers[0].volumesFrom[0].container: a container cannot mount its own volumes']);
		expect(errorsAfter(r => (web(r).volumesFrom = [{container: 'db'}]))).toEqual(['service.containers[0].volumesFrom[0].container: "db" is not a container of this task (web)']);
	});

	test('Fargate adds only SYS_PTRACE; unknown capabilities are refused by name', () => {
		expect(errorsAfter(r => (web(r).linuxParameters = {capabilities: {add: ['NET_ADMIN']}}))).toEqual([
			'service.containers[0].linuxParameters.capabilities.add[0]: NET_ADMIN cannot be added on Fargate: the only capability Fargate tasks may add is SYS_PTRACE',
		]);
		expect(errorsAfter(r => (web(r).linuxParameters = {capabilities: {drop: ['CAP_NET_RAW']}}))[0]).toMatch(/^service\.containers\[0\]\.linuxParameters\.capabilities\.drop\[0\]: must be one of "ALL", .*got "CAP_NET_RAW"$/);
		expect(errorsAfter(r => (web(r).linuxParameters = {initProcessEnabled: 'maybe'}))).toEqual(['service.containers[0].linuxParameters.initProcessEnabled: must be yes/no (true or false), got "maybe"']);
	});

	test('system controls are namespaced kernel parameters, each once', () => {
		expect(errorsAfter(r => (web(r).systemControls = [{namespace: 'kernel.shm_rmid_forced', value: '1'}, {namespace: 'fs.mqueue.msg_max', value: '20'}]))).toEqual([]);
		expect(errorsAfter(r => (web(r).systemControls = [{namespace: 'vm.swappiness', value: '1'}]))[0]).toMatch(/^service\.containers\[0\]\.systemControls\[0\]\.namespace: "vm\.swappiness" is not a namespaced kernel parameter ECS can set/);
	});
});

describe('task settings', () => {
	test('ephemeralStorage is 21–200 GiB, in the task definition', () => {
		expect(built(r => (r['service'].ephemeralStorage = 50)).task['EphemeralStorage']).toEqual({SizeInGiB: 50});
		expect(errorsAfter(r => (r['service'].ephemeralStorage = 20))).toEqual(['service.ephemeralStorage: must be at least 21']);
		expect(errorsAfter(r => (r['service'].ephemeralStorage = 201))).toEqual(['service.ephemeralStorage: must be at most 200']);
	});

	test('runtimePlatform ARM64 (or cpuArchitecture) sets the runtime platform; not both', () => {
		expect(built(r => (r['service'].runtimePlatform = {cpuArchitecture: 'ARM64'})).task['RuntimePlatform']).toEqual({OperatingSystemFamily: 'LINUX', CpuArchitecture: 'ARM64'});
		expect(built(r => (r['service'].cpuArchitecture = 'ARM64')).task['RuntimePlatform']).toEqual({OperatingSystemFamily: 'LINUX', CpuArchitecture: 'ARM64'});
		expect(built(() => {}).task['RuntimePlatform']).toEqual({OperatingSystemFamily: 'LINUX', CpuArchitecture: 'X86_64'});
		expect(errorsAfter(r => Object.assign(r['service'], {cpuArchitecture: 'ARM64', runtimePlatform: {cpuArchitecture: 'ARM64'}}))).toEqual([
			'service.runtimePlatform.cpuArchitecture: cpuArchitecture is set too: give the architecture once, in one of the two fields',
		]);
		expect(errorsAfter(r => (r['service'].runtimePlatform = {operatingSystemFamily: 'WINDOWS_SERVER_2022_CORE'}))).toEqual(['service.runtimePlatform.operatingSystemFamily: must be one of "LINUX", got "WINDOWS_SERVER_2022_CORE"']);
	});
});

describe('service settings', () => {
	test('platformVersion, capacity providers (FARGATE_SPOT), ECS Exec, AZ rebalancing, alarms and service tags reach the service', () => {
		const {service, problems} = built(r =>
			Object.assign(r['service'], {
				platformVersion: '1.4.0',
				capacityProviderStrategy: [
					{capacityProvider: 'FARGATE', base: 1, weight: 1},
					{capacityProvider: 'FARGATE_SPOT', weight: 3},
				],
				enableExecuteCommand: true,
				taskRole: 'arn:aws:iam::111122223333:role/shop-task',
				availabilityZoneRebalancing: true,
				deployment: {alarms: {names: ['shop-5xx', 'shop-latency']}},
				serviceTags: [{key: 'tier', value: 'web'}],
			}),
		);
		expect(problems).toEqual([]);
		expect(service).toMatchObject({
			PlatformVersion: '1.4.0',
			CapacityProviderStrategy: [
				{CapacityProvider: 'FARGATE', Base: 1, Weight: 1},
				{CapacityProvider: 'FARGATE_SPOT', Weight: 3},
			],
			EnableExecuteCommand: true,
			AvailabilityZoneRebalancing: 'ENABLED',
			DeploymentConfiguration: {Alarms: {AlarmNames: ['shop-5xx', 'shop-latency'], Enable: true, Rollback: true}},
		});
		// A capacity provider strategy and a launch type cannot both be given.
		expect(service).not.toHaveProperty('LaunchType');
		expect(service['Tags'].at(-1)).toEqual({Key: 'tier', Value: 'web'});
	});

	test('without them the service is as before: launch type FARGATE and no other new property', () => {
		const {service} = built(() => {});
		expect(service['LaunchType']).toBe('FARGATE');
		for (const key of ['PlatformVersion', 'CapacityProviderStrategy', 'EnableExecuteCommand', 'AvailabilityZoneRebalancing']) expect(service).not.toHaveProperty(key);
		expect(service['DeploymentConfiguration']).not.toHaveProperty('Alarms');
	});

	test('enableExecuteCommand false is written, so a service that had it turns it off', () => {
		expect(built(r => (r['service'].enableExecuteCommand = false)).service['EnableExecuteCommand']).toBe(false);
	});

	test('a platform version too old for what the task uses is named with the feature', () => {
		expect(
			errorsAfter(r => {
				Object.assign(r['service'], {platformVersion: '1.3.0', ephemeralStorage: 30, cpuArchitecture: 'ARM64'});
			}),
		).toEqual([
			'service.platformVersion: 1.3.0 cannot run ephemeralStorage (service.ephemeralStorage): it needs Fargate platform version 1.4.0 or later (or LATEST)',
			'service.platformVersion: 1.3.0 cannot run the ARM64 architecture (service.cpuArchitecture): it needs Fargate platform version 1.4.0 or later (or LATEST)',
		]);
		expect(errorsAfter(r => Object.assign(r['service'], {platformVersion: 'latest'}))[0]).toMatch(/^service\.platformVersion: /);
		expect(errorsAfter(r => Object.assign(r['service'], {platformVersion: 'LATEST', ephemeralStorage: 30}))).toEqual([]);
	});

	test('capacity providers: Fargate ones, each once, one base, some weight', () => {
		expect(errorsAfter(r => (r['service'].capacityProviderStrategy = [{capacityProvider: 'my-asg'}]))[0]).toBe('service.capacityProviderStrategy[0].capacityProvider: must be one of "FARGATE", "FARGATE_SPOT", got "my-asg"');
		expect(
			errorsAfter(r => (r['service'].capacityProviderStrategy = [
				{capacityProvider: 'FARGATE', base: 1},
				{capacityProvider: 'FARGATE_SPOT', base: 2},
			])),
		).toEqual([
			'service.capacityProviderStrategy[1].base: only one capacity provider may have a base; capacityProviderStrategy[0] has one already',
			'service.capacityProviderStrategy: at least one capacity provider needs a weight above 0 (weights decide where tasks go beyond the base)',
		]);
		expect(errorsAfter(r => (r['service'].capacityProviderStrategy = [{capacityProvider: 'FARGATE_SPOT', weight: 1001}]))).toEqual(['service.capacityProviderStrategy[0].weight: must be at most 1000']);
		expect(errorsAfter(r => (r['service'].capacityProviderStrategy = [{capacityProvider: 'FARGATE', weight: 1}, {capacityProvider: 'FARGATE', weight: 1}]))).toEqual([
			'service.capacityProviderStrategy[1].capacityProvider: FARGATE is listed twice: give each capacity provider once',
		]);
		expect(errorsAfter(r => (r['service'].capacityProviderStrategy = []))[0]).toMatch(/^service\.capacityProviderStrategy: /);
	});

	test('ECS Exec without a task role is a warning, not an error', () => {
		const recipe = minimalRecipe();
		recipe['service'].enableExecuteCommand = true;
		const {problems, resolved} = resolveObject(recipe);
		expect(resolved).toBeDefined();
		expect(problems).toEqual([expect.objectContaining({path: 'service.enableExecuteCommand', severity: 'warning', message: expect.stringContaining('needs a task role')})]);
	});

	test('deployment alarms: at least one name, each once, no commas', () => {
		expect(errorsAfter(r => (r['service'].deployment = {alarms: {names: []}}))[0]).toMatch(/^service\.deployment\.alarms\.names: /);
		expect(errorsAfter(r => (r['service'].deployment = {alarms: {names: ['a,b', 'c', 'c'], rollback: false}}))).toEqual([
			'service.deployment.alarms.names[0]: an alarm name cannot contain a comma (ECS joins the names with commas)',
			'service.deployment.alarms.names[2]: "c" is listed twice',
		]);
	});

	test('service tags follow the tag rules, may not repeat a tag of service.tags, and keep within 50 on the service', () => {
		expect(errorsAfter(r => Object.assign(r['service'], {tags: [{key: 'team', value: 'a'}], serviceTags: [{key: 'team', value: 'b'}]}))).toEqual([
			'service.serviceTags[0].key: "team" is already one of service.tags, which the service carries too: keep one',
		]);
		expect(errorsAfter(r => (r['service'].serviceTags = [{key: 'aws:x', value: 'b'}]))).toEqual(['service.serviceTags[0].key: the aws: prefix is reserved by AWS']);
		expect(
			errorsAfter(r =>
				Object.assign(r['service'], {
					tags: Array.from({length: 20}, (_, i) => ({key: `t${i}`, value: 'x'})),
					serviceTags: Array.from({length: 20}, (_, i) => ({key: `s${i}`, value: 'x'})),
				}),
			),
		).toEqual([]);
	});
});
