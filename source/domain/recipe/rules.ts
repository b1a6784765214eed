import {error, formatPath, warning, type Problem} from '../problems.js';
import {formatList, quote} from '../text.js';
import {describeMemoryFor, fargateCpuValues, fargateMemoryFor} from './fargate.js';
import type {ContainerSpec, ServiceSpec} from './schema.js';
import {checkSettings} from './settings.js';
import {checkStrategy} from './strategy-rules.js';
import {checkAutoScaling} from './scaling-rules.js';
import {checkTagList} from './tag-rules.js';
import {checkBeforeDeploy} from './before-deploy-rules.js';

export {tagCharacters} from './tag-rules.js';

/**
 * Rules that tie fields together, checked on the service after substitution and schema checks.
 * Each rule names the field it is about and says what is allowed.
 */
export function checkServiceRules(service: ServiceSpec, imageRefs: readonly string[]): Problem[] {
	return [
		...checkNames(service),
		...checkPermissionsBoundary(service),
		...checkTaskSize(service),
		...checkContainers(service, imageRefs),
		...checkDeployment(service),
		...checkTags(service),
		...checkLoadBalancers(service),
		...checkVolumes(service),
		...checkSettings(service),
		...checkStrategy(service),
		...checkAutoScaling(service),
		...checkBeforeDeploy(service),
	];
}

const at = (...segments: Array<string | number>) => formatPath(['service', ...segments]);

/** CloudFormation stack names: a letter first, then letters, digits and hyphens, 128 characters at most. */
export const stackNamePattern = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

function checkNames(service: ServiceSpec): Problem[] {
	const problems: Problem[] = [];
	if (!stackNamePattern.test(service.stackName)) {
		problems.push(
			error(
				at('stackName'),
				`${quote(service.stackName)} is not a valid CloudFormation stack name: start with a letter, then use only letters, digits and hyphens (128 characters at most)`,
			),
		);
	}
	if (!/^[A-Za-z0-9_-]{1,255}$/.test(service.family)) {
		problems.push(
			error(at('family'), `${quote(service.family)} is not a valid task definition family: up to 255 letters, digits, hyphens and underscores`),
		);
	}
	return problems;
}

/**
 * A managed policy: its ARN (a customer managed policy of an account, or an AWS managed one, `iam::aws:`), or
 * its name with an optional path (`ecs-deployer-boundary`, `/team/boundary`), which is in the stack's account.
 */
export const managedPolicyPattern = /^(arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/[\w+=,.@/-]{1,512}|\/?([\w+=,.@-]+\/)*[\w+=,.@-]{1,128})$/;

function checkPermissionsBoundary(service: ServiceSpec): Problem[] {
	const boundary = service.permissionsBoundary;
	if (boundary === undefined) return [];
	if (!managedPolicyPattern.test(boundary)) {
		return [
			error(
				at('permissionsBoundary'),
				`${quote(boundary)} is not a managed policy: give its ARN (arn:aws:iam::123456789012:policy/ecs-deployer-boundary) or its name (ecs-deployer-boundary, in the stack's account)`,
			),
		];
	}
	if (service.executionRole !== undefined) {
		return [warning(at('permissionsBoundary'), 'bounds only the roles the stack creates, and with executionRole given it creates none: it is ignored here')];
	}
	return [];
}

function checkTaskSize(service: ServiceSpec): Problem[] {
	const problems: Problem[] = [];
	const memory = fargateMemoryFor(service.cpu);
	if (!memory) {
		problems.push(error(at('cpu'), `${service.cpu} is not a Fargate task CPU value: use one of ${fargateCpuValues.join(', ')}`));
	} else if (!memory.includes(service.memory)) {
		problems.push(
			error(at('memory'), `${service.memory} MiB does not fit a ${service.cpu} CPU Fargate task: use ${describeMemoryFor(service.cpu)}`),
		);
	}

	let cpuSum = 0;
	let memorySum = 0;
	service.containers.forEach((container, i) => {
		cpuSum += container.cpu ?? 0;
		memorySum += container.memory ?? container.memoryReservation ?? 0;
		if (container.memory !== undefined && container.memoryReservation !== undefined && container.memoryReservation > container.memory) {
			problems.push(
				error(
					at('containers', i, 'memoryReservation'),
					`${container.memoryReservation} MiB is above the container's memory limit (${container.memory} MiB): the reservation must not exceed the limit`,
				),
			);
		}
	});
	if (cpuSum > service.cpu) {
		problems.push(error(at('containers'), `the containers ask for ${cpuSum} CPU units in all, more than the task's ${service.cpu}`));
	}
	if (memorySum > service.memory) {
		problems.push(error(at('containers'), `the containers ask for ${memorySum} MiB in all, more than the task's ${service.memory} MiB`));
	}
	return problems;
}

function checkContainers(service: ServiceSpec, imageRefs: readonly string[]): Problem[] {
	const problems: Problem[] = [];
	const names = new Map<string, number>();
	const ports = new Map<string, string>();
	const volumes = new Set(service.volumes.map(v => v.name));
	const knownImages = new Set(imageRefs);
	const firelensContainers = service.containers.filter(c => c.firelens).map(c => c.name);

	service.containers.forEach((container, i) => {
		const first = names.get(container.name);
		if (first === undefined) names.set(container.name, i);
		else problems.push(error(at('containers', i, 'name'), `${quote(container.name)} is already the name of containers[${first}]: container names must be unique`));

		if (!knownImages.has(container.image)) {
			problems.push(
				error(at('containers', i, 'image'), `${quote(container.image)} is not one of the recipe's images (${formatList(imageRefs) || 'none declared'})`),
			);
		}

		container.ports.forEach((mapping, j) => {
			if (mapping.hostPort !== undefined && mapping.hostPort !== mapping.containerPort) {
				problems.push(
					error(at('containers', i, 'ports', j, 'hostPort'), `must equal containerPort (${mapping.containerPort}) on Fargate, or be left out`),
				);
			}
			const key = `${mapping.containerPort}/${mapping.protocol}`;
			const owner = ports.get(key);
			if (owner) problems.push(error(at('containers', i, 'ports', j, 'containerPort'), `${key} is already used by ${owner}: tasks share one network interface`));
			else ports.set(key, formatPath(['service', 'containers', i, 'ports', j]));
		});

		const check = container.healthCheck;
		if (check && !['CMD', 'CMD-SHELL'].includes(check.command[0] ?? '')) {
			problems.push(error(at('containers', i, 'healthCheck', 'command', 0), 'must be CMD or CMD-SHELL (or write the command as one string to run it in a shell)'));
		}

		container.mountPoints.forEach((mount, j) => {
			if (!volumes.has(mount.volume)) {
				problems.push(
					error(at('containers', i, 'mountPoints', j, 'volume'), `${quote(mount.volume)} is not declared in service.volumes (${formatList([...volumes]) || 'none declared'})`),
				);
			}
		});

		problems.push(...checkDependsOn(service, container, i));
		problems.push(...checkSecrets(container, i));
		problems.push(...checkLogging(container, i, firelensContainers));

		container.environmentFiles.forEach((file, j) => {
			if (!/^arn:aws[a-z-]*:s3:::[a-z0-9.-]{3,63}\/.+\.env$/.test(file)) {
				problems.push(error(at('containers', i, 'environmentFiles', j), 'must be the ARN of an S3 object ending in .env, like arn:aws:s3:::my-bucket/app.env'));
			}
		});
	});

	if (!service.containers.some(c => c.essential)) {
		problems.push(error(at('containers'), 'at least one container must be essential (essential: true)'));
	}
	if (firelensContainers.length > 1) {
		problems.push(error(at('containers'), `only one container may be the FireLens log router; found ${firelensContainers.join(', ')}`));
	}
	return problems;
}

function checkDependsOn(service: ServiceSpec, container: ContainerSpec, i: number): Problem[] {
	const problems: Problem[] = [];
	container.dependsOn.forEach((dependency, j) => {
		const path = at('containers', i, 'dependsOn', j, 'container');
		const target = service.containers.find(c => c.name === dependency.container);
		if (dependency.container === container.name) problems.push(error(path, 'a container cannot depend on itself'));
		else if (!target) problems.push(error(path, `${quote(dependency.container)} is not a container of this task (${service.containers.map(c => c.name).join(', ')})`));
		else if (dependency.condition === 'HEALTHY' && !target.healthCheck) {
			problems.push(error(at('containers', i, 'dependsOn', j, 'condition'), `HEALTHY needs a health check on ${quote(target.name)}; it has none`));
		} else if ((dependency.condition === 'COMPLETE' || dependency.condition === 'SUCCESS') && target.essential) {
			problems.push(
				error(at('containers', i, 'dependsOn', j, 'condition'), `${dependency.condition} needs ${quote(target.name)} to be non-essential (it is expected to exit)`),
			);
		}
	});
	const cycle = findCycle(service, container.name);
	if (cycle) problems.push(error(at('containers', i, 'dependsOn'), `containers depend on each other in a loop: ${cycle.join(' → ')}`));
	return problems;
}

/**
 * A loop of dependsOn through `start`, as the names along it (`web → init → web`), or undefined. Each
 * container is visited once, so long or repeated dependsOn lists cost no more than their length.
 */
function findCycle(service: ServiceSpec, start: string): string[] | undefined {
	const byName = new Map(service.containers.map(c => [c.name, c]));
	const cameFrom = new Map<string, string>();
	const queue = [start];
	for (let next = 0; next < queue.length; next++) {
		const name = queue[next]!;
		for (const dependency of byName.get(name)?.dependsOn ?? []) {
			const target = dependency.container;
			if (target === name) continue;
			if (target === start) {
				const trail = [start];
				for (let at: string | undefined = name; at !== undefined && at !== start; at = cameFrom.get(at)) trail.splice(1, 0, at);
				return [...trail, start];
			}
			if (!cameFrom.has(target) && byName.has(target)) {
				cameFrom.set(target, name);
				queue.push(target);
			}
		}
	}
	return undefined;
}

const secretSource = /^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+|arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter\/.+|\/?[A-Za-z0-9_.\-/]+)$/;

/** Whether a `valueFrom` names what ECS can read a secret from: a Secrets Manager or SSM ARN, or an SSM parameter name. */
export const isSecretSource = (valueFrom: string): boolean => secretSource.test(valueFrom);

function checkSecrets(container: ContainerSpec, i: number): Problem[] {
	const problems: Problem[] = [];
	const seen = new Set<string>();
	container.secrets.forEach((secret, j) => {
		if (seen.has(secret.name)) problems.push(error(at('containers', i, 'secrets', j, 'name'), `${quote(secret.name)} is set twice in this container's secrets`));
		seen.add(secret.name);
		if (Object.hasOwn(container.environment, secret.name)) {
			problems.push(error(at('containers', i, 'secrets', j, 'name'), `${quote(secret.name)} is also a plain environment variable of this container: keep one`));
		}
		if (!secretSource.test(secret.valueFrom)) {
			problems.push(
				error(at('containers', i, 'secrets', j, 'valueFrom'), 'must be a Secrets Manager secret ARN, an SSM parameter ARN, or an SSM parameter name'),
			);
		}
	});
	return problems;
}

function checkLogging(container: ContainerSpec, i: number, firelensContainers: readonly string[]): Problem[] {
	const logging = container.logging;
	if (logging.type !== 'manual') return [];
	if (logging.driver === 'awsfirelens' && firelensContainers.length === 0) {
		return [error(at('containers', i, 'logging', 'driver'), 'awsfirelens needs a log router: give one container a firelens section')];
	}
	if (logging.driver === 'awsfirelens' && container.firelens) {
		return [error(at('containers', i, 'logging', 'driver'), 'the FireLens log router cannot send its own logs through FireLens; use auto (CloudWatch) logging')];
	}
	if (logging.driver === 'awslogs' && !logging.options?.['awslogs-group']) {
		return [error(at('containers', i, 'logging', 'options'), 'awslogs needs an awslogs-group option (or use type: auto to have the log group created)')];
	}
	return [];
}

function checkDeployment(service: ServiceSpec): Problem[] {
	const {minimumHealthyPercent: min, maximumPercent: max} = service.deployment;
	if (max < min) {
		return [error(at('deployment', 'maximumPercent'), `${max} is below minimumHealthyPercent (${min})`)];
	}
	if (min >= 100 && max <= 100) {
		return [
			error(
				at('deployment', 'maximumPercent'),
				'with minimumHealthyPercent 100, maximumPercent must be above 100, or ECS can neither start a new task nor stop an old one',
			),
		];
	}
	if (service.deployment.healthCheckGracePeriodSeconds !== undefined && service.loadBalancers.length === 0) {
		return [warning(at('deployment', 'healthCheckGracePeriodSeconds'), 'only applies to services behind a load balancer; it is ignored here')];
	}
	return [];
}

function checkTags(service: ServiceSpec): Problem[] {
	return checkTagList(service.tags, ['service', 'tags']);
}

function checkLoadBalancers(service: ServiceSpec): Problem[] {
	const problems: Problem[] = [];
	service.loadBalancers.forEach((mapping, i) => {
		const container = service.containers.find(c => c.name === mapping.container);
		if (!container) {
			problems.push(
				error(at('loadBalancers', i, 'container'), `${quote(mapping.container)} is not a container of this task (${service.containers.map(c => c.name).join(', ')})`),
			);
		} else if (!container.ports.some(p => p.containerPort === mapping.port)) {
			const declared = container.ports.map(p => p.containerPort).join(', ') || 'none';
			problems.push(error(at('loadBalancers', i, 'port'), `${mapping.port} is not a port of container ${quote(container.name)} (its ports: ${declared})`));
		}
	});
	return problems;
}

function checkVolumes(service: ServiceSpec): Problem[] {
	const problems: Problem[] = [];
	const seen = new Set<string>();
	service.volumes.forEach((volume, i) => {
		if (seen.has(volume.name)) problems.push(error(at('volumes', i, 'name'), `${quote(volume.name)} is declared twice: volume names must be unique`));
		seen.add(volume.name);
		if (volume.type !== 'efs') return;
		if ((volume.iamAuthorization || volume.accessPointId) && !volume.transitEncryption) {
			problems.push(error(at('volumes', i, 'transitEncryption'), 'must be true when iamAuthorization or accessPointId is used (EFS requires encryption in transit for them)'));
		}
		if (volume.accessPointId && volume.rootDirectory && volume.rootDirectory !== '/') {
			problems.push(error(at('volumes', i, 'rootDirectory'), 'must be left out (or be /) with an access point: the access point sets the directory'));
		}
		if (volume.transitEncryptionPort !== undefined && !volume.transitEncryption) {
			problems.push(error(at('volumes', i, 'transitEncryptionPort'), 'only applies when transitEncryption is true'));
		}
	});
	return problems;
}
