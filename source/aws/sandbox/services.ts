import type {GetLogEventsCommandInput, GetLogEventsCommandOutput} from '@aws-sdk/client-cloudwatch-logs';
import type {Service, ServiceDeploymentLifecycleStage} from '@aws-sdk/client-ecs';
import type {AwsPorts} from '../ports.js';
import {page, type AccountClock, type Call} from './calls.js';
import {sandboxError} from './errors.js';
import {answerHook} from './apply.js';
import {describeOneOff, describeTaskData, runTask} from './run-task.js';
import {registerTaskDefinition, stopOneOff} from './register-task-definition.js';
import {planForceDeployment} from './operations.js';
import {sandboxAccount, sandboxCluster, sandboxRegion, type SandboxStage, type SandboxState, type ServiceData} from './state.js';
import {readTemplate, type ContainerModel} from './template-model.js';
import {failureTags} from './seed.js';

/* The sandbox's ECS, ECR, STS and CloudWatch Logs calls, answered from the account state. */

/** A second, empty cluster, so a cluster picker has a choice. */
const spareCluster = 'sandbox-blue';
const clusterArn = (name: string) => `arn:aws:ecs:${sandboxRegion}:${sandboxAccount}:cluster/${name}`;
/** A cluster parameter (name or ARN) as a name; ECS calls without one mean the cluster `default`. */
const clusterName = (nameOrArn: string | undefined) => (nameOrArn ?? 'default').split(':cluster/').at(-1)!;

/** A service as DescribeServices and UpdateService show it (its network and capacity from its stack's template). */
function describeService(s: ServiceData, state?: SandboxState): Service {
	const stack = state?.stacks.find(x => x.name === s.stackName && x.status !== 'DELETE_COMPLETE');
	const placement = stack?.body ? readTemplate(stack.body, stack.parameters, sandboxAccount, sandboxRegion, stack.name).placement : undefined;
	return {
		...(placement
			? {
					networkConfiguration: {awsvpcConfiguration: {subnets: placement.subnets, securityGroups: placement.securityGroups, assignPublicIp: placement.assignPublicIp}},
					...(placement.capacityProviderStrategy ? {capacityProviderStrategy: placement.capacityProviderStrategy} : {launchType: 'FARGATE' as const}),
					platformVersion: placement.platformVersion ?? 'LATEST',
				}
			: {}),
		serviceArn: s.arn,
		serviceName: s.name,
		clusterArn: clusterArn(sandboxCluster),
		status: 'ACTIVE',
		desiredCount: s.desiredCount,
		runningCount: s.tasks.filter(t => t.lastStatus === 'RUNNING').length,
		pendingCount: s.tasks.filter(t => t.desiredStatus === 'RUNNING' && t.lastStatus !== 'RUNNING').length,
		taskDefinition: s.deployments.find(d => d.status === 'PRIMARY')?.taskDefinition,
		// Finished deployments leave DescribeServices; ListServiceDeployments keeps them.
		deployments: s.deployments.filter(d => d.status !== 'INACTIVE').map(d => ({...d, createdAt: new Date(d.createdAt), updatedAt: new Date(d.updatedAt), launchType: 'FARGATE' as const, platformVersion: '1.4.0'})),
		events: s.events.map(e => ({id: e.id, createdAt: new Date(e.createdAt), message: e.message})),
	};
}

export function servicePorts(call: Call, clock: AccountClock): Pick<AwsPorts, 'ecs' | 'ecr' | 'sts' | 'logs'> {
	return {
		ecs: {
			describeClusters: async ({clusters}) =>
				call('DescribeClusters', state => {
					const names = (clusters?.length ? clusters : ['default']).map(clusterName);
					const known: string[] = names.filter(name => name === sandboxCluster || name === spareCluster);
					return {
						clusters: known.map(name => {
							const services = name === sandboxCluster ? state.services : [];
							return {
								clusterName: name,
								clusterArn: clusterArn(name),
								status: 'ACTIVE',
								// The spare cluster was made without capacity providers (as `aws ecs create-cluster` does): launch type FARGATE still runs there.
								capacityProviders: name === sandboxCluster ? ['FARGATE', 'FARGATE_SPOT'] : [],
								activeServicesCount: services.length,
								runningTasksCount: services.flatMap(s => s.tasks).filter(t => t.lastStatus === 'RUNNING').length,
								pendingTasksCount: services.flatMap(s => s.tasks).filter(t => t.desiredStatus === 'RUNNING' && t.lastStatus !== 'RUNNING').length,
								registeredContainerInstancesCount: 0,
							};
						}),
						failures: names.filter(name => !known.includes(name)).map(name => ({arn: clusterArn(name), reason: 'MISSING'})),
						$metadata: {},
					};
				}),
			listClusters: async ({nextToken, maxResults}) =>
				call('ListClusters', () => {
					const {items, next} = page([sandboxCluster, spareCluster].map(clusterArn), nextToken, Math.min(maxResults ?? 100, 100));
					return {clusterArns: items, ...(next ? {nextToken: next} : {}), $metadata: {}};
				}),
			describeServices: async ({services}) =>
				call('DescribeServices', state => {
					const found = (services ?? []).map(name => state.services.find(s => s.arn === name || s.name === name));
					return {
						services: found.flatMap(s => (s ? [describeService(s, state)] : [])),
						failures: (services ?? []).filter((_, i) => !found[i]).map(arn => ({arn, reason: 'MISSING'})),
						$metadata: {},
					};
				}),
			updateService: async input =>
				call(
					'UpdateService',
					state => {
						const cluster = clusterName(input.cluster);
						if (cluster !== sandboxCluster && cluster !== spareCluster) throw sandboxError('ClusterNotFoundException', 'Cluster not found.');
						const s = cluster === sandboxCluster ? state.services.find(x => x.arn === input.service || x.name === input.service) : undefined;
						if (!s) throw sandboxError('ServiceNotFoundException', 'Service not found.');
						// The stack owns the service's settings; the sandbox only plays a fresh deployment of what runs.
						const other = Object.entries(input).filter(([key, value]) => value !== undefined && !['cluster', 'service', 'forceNewDeployment', 'desiredCount'].includes(key));
						if (other.length > 0) throw sandboxError('InvalidParameterException', `The sandbox plays UpdateService with forceNewDeployment and desiredCount only, not ${other.map(([key]) => key).join(', ')}: change the service through its stack.`);
						const stack = state.stacks.find(x => x.name === s.stackName && x.status !== 'DELETE_COMPLETE');
						if (input.desiredCount !== undefined) {
							if (input.desiredCount < 0) throw sandboxError('InvalidParameterException', 'Desired count must be non-negative.');
							// The new count applies at once (no new deployment); tasks start or stop as the scheduler gets to them.
							if (stack) clock.schedule(state, [{at: clock.now(), stack: stack.id, kind: 'service-scale', data: {desired: input.desiredCount}}]);
						}
						const primary = s.deployments.find(d => d.status === 'PRIMARY');
						if (input.forceNewDeployment && stack && primary) {
							const model = stack.body ? readTemplate(stack.body, stack.parameters, sandboxAccount, sandboxRegion, stack.name) : undefined;
							// The new tasks run what the current ones run.
							const running = s.tasks.find(t => t.startedBy === primary.id);
							const containers: ContainerModel[] = running
								? running.containers.map(c => ({...(model?.containers.find(m => m.name === c.name) ?? {tag: c.image.split(':').at(-1) ?? '', essential: true, healthCheck: false}), name: c.name, image: c.image}))
								: (model?.containers ?? []);
							clock.schedule(state, planForceDeployment(stack, {taskDefinition: primary.taskDefinition, desired: s.desiredCount, containers, maximumPercent: model?.maximumPercent ?? 200}, clock.now(), clock.speed));
						}
						return {service: describeService(s), $metadata: {}};
					},
					{mutates: true},
				),
			runTask: async input =>
				call(
					'RunTask',
					state => {
						const {output, steps} = runTask(state, input, clock.now(), clock.speed);
						clock.schedule(state, steps);
						return output;
					},
					{mutates: true},
				),
			registerTaskDefinition: async input => call('RegisterTaskDefinition', state => registerTaskDefinition(state, input), {mutates: true}),
			stopTask: async input => call('StopTask', state => stopOneOff(state, input, clock.now()), {mutates: true}),
			listTasks: async input =>
				call('ListTasks', state => {
					const tasks = input.serviceName
						? (state.services.find(s => s.arn === input.serviceName || s.name === input.serviceName)?.tasks ?? [])
						: [...state.services.flatMap(s => s.tasks), ...(state.oneOffTasks ?? [])];
					const selected = input.startedBy
						? tasks.filter(t => t.startedBy === input.startedBy && t.desiredStatus === 'RUNNING')
						: tasks.filter(t => t.desiredStatus === (input.desiredStatus ?? 'RUNNING'));
					return {taskArns: selected.slice(0, 100).map(t => t.arn), $metadata: {}};
				}),
			listServiceDeployments: async ({service, status}) =>
				call('ListServiceDeployments', state => {
					const s = state.services.find(x => x.arn === service || x.name === service);
					if (!s) throw sandboxError('ServiceNotFoundException', 'Service not found.');
					const all = s.deployments.map(d => serviceDeployment(s.arn, s.name, d)).filter(d => !status || status.includes(d.status));
					return {serviceDeployments: all.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).slice(0, 20), $metadata: {}};
				}),
			describeServiceDeployments: async ({serviceDeploymentArns}) =>
				call('DescribeServiceDeployments', state => {
					const all = state.services.flatMap(s => s.deployments.map(d => ({d, s, summary: serviceDeployment(s.arn, s.name, d)})));
					const found = all.filter(({summary}) => (serviceDeploymentArns ?? []).includes(summary.serviceDeploymentArn));
					return {
						serviceDeployments: found.map(({d, s, summary}) => {
							const running = s.tasks.filter(t => t.startedBy === d.id && t.lastStatus === 'RUNNING').length;
							const pending = s.tasks.filter(t => t.startedBy === d.id && t.desiredStatus === 'RUNNING' && t.lastStatus !== 'RUNNING').length;
							return {
								serviceDeploymentArn: summary.serviceDeploymentArn,
								serviceArn: summary.serviceArn,
								clusterArn: summary.clusterArn,
								createdAt: summary.createdAt,
								updatedAt: new Date(d.updatedAt),
								status: summary.status,
								...(summary.statusReason ? {statusReason: summary.statusReason} : {}),
								targetServiceRevision: {arn: summary.targetServiceRevisionArn, requestedTaskCount: d.desiredCount, runningTaskCount: running, pendingTaskCount: pending},
								deploymentCircuitBreaker: {status: d.failedTasks >= 3 ? ('TRIGGERED' as const) : ('MONITORING' as const), failureCount: d.failedTasks, threshold: 3},
								...(d.lifecycle
									? {
											lifecycleStage: lifecycleStage(d.lifecycle.stage),
											lifecycleHookDetails: d.lifecycle.hooks.map(h => ({hookId: h.id, targetType: 'PAUSE' as const, status: h.status, expiresAt: new Date(h.expiresAt), timeoutAction: h.timeoutAction})),
											deploymentConfiguration: {strategy: d.lifecycle.strategy},
										}
									: {}),
							};
						}),
						failures: [],
						$metadata: {},
					};
				}),
			continueServiceDeployment: async ({serviceDeploymentArn, hookId, action}) =>
				call(
					'ContinueServiceDeployment',
					state => {
						const found = state.services.flatMap(s => s.deployments.map(d => ({s, d}))).find(({s, d}) => serviceDeployment(s.arn, s.name, d).serviceDeploymentArn === serviceDeploymentArn);
						if (!found) throw sandboxError('ServiceDeploymentNotFoundException', 'The service deployment does not exist.');
						const hook = found.d.lifecycle?.hooks.find(h => h.id === hookId);
						if (!hook) throw sandboxError('InvalidParameterException', `The service deployment has no lifecycle hook ${hookId ?? ''}.`);
						if (hook.status !== 'AWAITING_ACTION') throw sandboxError('InvalidParameterException', `The lifecycle hook ${hook.id} is not awaiting action (it is ${hook.status}).`);
						answerHook({state, now: clock.now(), speed: clock.speed}, found.d, hook.id, action ?? 'CONTINUE', action === 'ROLLBACK' ? 'FAILED' : 'SUCCEEDED');
						// What the answer started plays from now on, as its steps come due.
						clock.schedule(state, []);
						return {serviceDeploymentArn, $metadata: {}};
					},
					{mutates: true},
				),
			describeTaskDefinition: async ({taskDefinition, include}) =>
				call('DescribeTaskDefinition', state => {
					const wanted = taskDefinition ?? '';
					const found = Object.entries(state.taskDefinitions)
						.flatMap(([family, list]) => list.map(td => ({family, ...td})))
						.find(td => td.arn === wanted || `${td.family}:${td.revision}` === wanted.split('/').at(-1));
					if (!found) throw sandboxError('ClientException', 'Unable to describe task definition.');
					return {
						taskDefinition: {
							taskDefinitionArn: found.arn,
							family: found.family,
							revision: found.revision,
							status: 'ACTIVE' as const,
							...((found.task ?? {}) as object),
							containerDefinitions: found.containers ?? [],
						},
						...(include?.includes('TAGS') ? {tags: found.tags} : {}),
						$metadata: {},
					};
				}),
			describeTasks: async ({tasks}) =>
				call('DescribeTasks', state => {
					const all = state.services.flatMap(s => s.tasks.map(t => ({t, s})));
					const oneOff = (state.oneOffTasks ?? []).filter(t => (tasks ?? []).includes(t.arn)).map(describeOneOff);
					return {
						tasks: [
							...oneOff,
							...all
							.filter(({t}) => (tasks ?? []).includes(t.arn))
							.map(({t, s}) => ({
								...describeTaskData(t, `service:${s.name}`),
								startedBy: t.startedBy,
								healthStatus: t.healthStatus,
								containers: t.containers.map(c => {
									// The digest ECS resolved when it pulled the image (a task that never pulled has none).
									const digest = t.startedAt === undefined ? undefined : imageDigest(state, c.image);
									return {name: c.name, image: c.image, ...(digest ? {imageDigest: digest} : {}), lastStatus: c.lastStatus, healthStatus: c.healthStatus, ...(c.exitCode === undefined ? {} : {exitCode: c.exitCode}), ...(c.reason ? {reason: c.reason} : {})};
								}),
							})),
						],
						failures: [],
						$metadata: {},
					};
				}),
		},
		ecr: {
			describeImages: async input =>
				call('DescribeImages', state => {
					const images = repository(state, input);
					const detail = (i: (typeof images)[number]) => ({registryId: sandboxAccount, repositoryName: input.repositoryName, imageDigest: i.digest, imageTags: [...i.tags], imagePushedAt: new Date(i.pushedAt), imageSizeInBytes: i.size});
					if (input.imageIds) {
						const tag = input.imageIds[0]?.imageTag;
						const found = images.find(i => i.tags.includes(tag ?? ''));
						if (!found) throw sandboxError('ImageNotFoundException', `The image with imageId {imageDigest:'null', imageTag:'${tag}'} does not exist within the repository with name '${input.repositoryName}' in the registry with id '${sandboxAccount}'`);
						return {imageDetails: [detail(found)], $metadata: {}};
					}
					const {items, next} = page(images.filter(i => i.tags.length > 0), input.nextToken, input.maxResults ?? 100);
					return {imageDetails: items.map(detail), ...(next ? {nextToken: next} : {}), $metadata: {}};
				}),
			batchGetImage: async input =>
				call('BatchGetImage', state => {
					const images = repository(state, input);
					const found: Array<{image: (typeof images)[number]; id: {imageTag?: string; imageDigest?: string}}> = [];
					const failures: Array<{imageId: {imageTag?: string; imageDigest?: string}; failureCode: 'ImageNotFound'; failureReason: string}> = [];
					for (const id of input.imageIds ?? []) {
						const image = images.find(i => (id.imageDigest === undefined || i.digest === id.imageDigest) && (id.imageTag === undefined || i.tags.includes(id.imageTag)));
						if (image) found.push({image, id: {...(id.imageTag === undefined ? {} : {imageTag: id.imageTag}), imageDigest: image.digest}});
						else failures.push({imageId: id, failureCode: 'ImageNotFound', failureReason: 'Requested image not found'});
					}
					return {
						images: found.map(({image, id}) => ({registryId: sandboxAccount, repositoryName: input.repositoryName, imageId: id, ...sandboxManifest(image, input.acceptedMediaTypes)})),
						failures,
						$metadata: {},
					};
				}),
			getDownloadUrlForLayer: async input =>
				call('GetDownloadUrlForLayer', state => {
					repository(state, input);
					if (!input.layerDigest?.startsWith('sha256:')) throw sandboxError('LayersNotFoundException', `The layer digest '${input.layerDigest}' does not exist in the repository '${input.repositoryName}'`);
					return {downloadUrl: `sandbox-blob:${input.layerDigest}`, layerDigest: input.layerDigest, $metadata: {}};
				}),
			downloadBlob: async url => (url.startsWith('sandbox-blob:') ? JSON.stringify({architecture: sandboxOtherArchitecture, os: 'linux', config: {}}) : Promise.reject(new Error(`the sandbox has no blob at ${url}`))),
		},
		sts: {
			getCallerIdentity: async () =>
				call('GetCallerIdentity', () => ({Account: sandboxAccount, Arn: `arn:aws:sts::${sandboxAccount}:assumed-role/SandboxOperator/you`, UserId: 'AROASANDBOXOPERATOR:you', $metadata: {}}), {faults: false}),
		},
		logs: {
			getLogEvents: async input => call('GetLogEvents', state => logEvents(state, input, clock)),
		},
	};
}

/**
 * The lifecycle stage DescribeServiceDeployments reports. The sandbox also plays PRE_PRODUCTION_TRAFFIC_SHIFT (a
 * hook stage, see SandboxStage), which the SDK's ServiceDeploymentLifecycleStage does not list: it is reported as
 * played, named as the SDK's type so callers see one type.
 */
function lifecycleStage(stage: SandboxStage): ServiceDeploymentLifecycleStage {
	return stage as ServiceDeploymentLifecycleStage;
}

/** The architecture of the sandbox's image that is built for another platform (failureTags.unpullable). */
const sandboxOtherArchitecture = 's390x';

/**
 * An image's manifest as BatchGetImage answers it: every sandbox image is an OCI image index with linux/amd64
 * and linux/arm64 variants, but failureTags.unpullable, which is a single-platform Docker image whose config
 * blob says s390x (its tasks cannot pull it on Fargate).
 */
function sandboxManifest(image: {digest: string; tags: readonly string[]}, accepted: string[] | undefined): {imageManifest: string; imageManifestMediaType: string} {
	const hash = image.digest.slice('sha256:'.length);
	const index = 'application/vnd.oci.image.index.v1+json';
	const single = 'application/vnd.docker.distribution.manifest.v2+json';
	if (image.tags.includes(failureTags.unpullable) || (accepted !== undefined && !accepted.includes(index))) {
		return {imageManifestMediaType: single, imageManifest: JSON.stringify({schemaVersion: 2, mediaType: single, config: {mediaType: 'application/vnd.docker.container.image.v1+json', size: 1469, digest: `sha256:${hash.split('').reverse().join('')}`}, layers: []})};
	}
	const variant = (architecture: string, n: number) => ({mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 1024, digest: `sha256:${hash.slice(0, 63)}${n}`, platform: {architecture, os: 'linux'}});
	return {imageManifestMediaType: index, imageManifest: JSON.stringify({schemaVersion: 2, mediaType: index, manifests: [variant('amd64', 1), variant('arm64', 2)]})};
}

/** A deployment as ListServiceDeployments shows it (status names from the ECS API). */
function serviceDeployment(serviceArn: string, serviceName: string, d: SandboxState['services'][number]['deployments'][number]) {
	const status = d.lifecycle?.status ?? (d.rolloutState === 'COMPLETED' ? 'SUCCESSFUL' : d.rolloutState === 'FAILED' ? 'ROLLBACK_SUCCESSFUL' : d.status === 'INACTIVE' ? 'STOPPED' : 'IN_PROGRESS');
	return {
		serviceDeploymentArn: `arn:aws:ecs:${sandboxRegion}:${sandboxAccount}:service-deployment/${sandboxCluster}/${serviceName}/${d.id.slice('ecs-svc/'.length)}`,
		serviceArn,
		clusterArn: `arn:aws:ecs:${sandboxRegion}:${sandboxAccount}:cluster/${sandboxCluster}`,
		createdAt: new Date(d.createdAt),
		// A deployment that has ended: when it last changed.
		...(['SUCCESSFUL', 'ROLLBACK_SUCCESSFUL', 'STOPPED'].includes(status) ? {finishedAt: new Date(d.updatedAt)} : {}),
		status,
		...(d.rolloutState === 'FAILED' ? {statusReason: d.rolloutStateReason} : {}),
		targetServiceRevisionArn: `arn:aws:ecs:${sandboxRegion}:${sandboxAccount}:service-revision/${sandboxCluster}/${serviceName}/${d.id.slice('ecs-svc/'.length)}`,
	};
}

/**
 * GetLogEvents on a stream: the lines its task's containers wrote (as they started, as they failed) and, while
 * the task runs, a line every ten seconds (of a real deployment: divided by the speed) once it is ready.
 * Paged as CloudWatch Logs pages: oldest first from the head (`startFromHead`) or the newest `limit` events;
 * `nextForwardToken` continues after the last event returned, and at the end of the stream it is the token
 * that was sent. `startTime`/`endTime` bound the events (ms). An unknown stream or group:
 * ResourceNotFoundException with the real messages.
 */
function logEvents(state: SandboxState, input: GetLogEventsCommandInput, clock: AccountClock): GetLogEventsCommandOutput {
	const group = input.logGroupName ?? input.logGroupIdentifier ?? '';
	const stored = state.logs[`${group}|${input.logStreamName ?? ''}`];
	if (!stored) {
		const known = Object.keys(state.logs).some(key => key.startsWith(`${group}|`));
		throw sandboxError('ResourceNotFoundException', known ? 'The specified log stream does not exist.' : 'The specified log group does not exist.');
	}
	const all = [...stored, ...heartbeats(state, input.logStreamName ?? '', clock)].sort((a, b) => a.timestamp - b.timestamp);
	const bounded = all.filter(e => (input.startTime === undefined || e.timestamp >= input.startTime) && (input.endTime === undefined || e.timestamp < input.endTime));
	const limit = Math.min(10_000, Math.max(1, input.limit ?? 10_000));
	/** Where a token points: after the first `n` events at `timestamp`. */
	const position = (token: string) => {
		const [, timestamp = '0', n = '0'] = token.split('/');
		const at = Number(timestamp);
		let index = bounded.findIndex(e => e.timestamp >= at);
		if (index === -1) index = bounded.length;
		return Math.min(bounded.length, index + Math.min(Number(n), bounded.slice(index).filter(e => e.timestamp === at).length));
	};
	const tokenAt = (kind: 'f' | 'b', index: number) => {
		const before = bounded[index - 1];
		if (!before) return `${kind}/${input.startTime ?? 0}/0`;
		return `${kind}/${before.timestamp}/${bounded.slice(0, index).filter(e => e.timestamp === before.timestamp).length}`;
	};
	let start: number;
	let end: number;
	if (input.nextToken?.startsWith('f/')) {
		start = position(input.nextToken);
		end = Math.min(bounded.length, start + limit);
	} else if (input.nextToken?.startsWith('b/')) {
		end = position(input.nextToken);
		start = Math.max(0, end - limit);
	} else if (input.startFromHead) {
		start = 0;
		end = Math.min(bounded.length, limit);
	} else {
		end = bounded.length;
		start = Math.max(0, end - limit);
	}
	const events = bounded.slice(start, end).map(e => ({timestamp: e.timestamp, message: e.message, ingestionTime: e.timestamp + 200}));
	// The end of the stream: the same forward token again.
	const forward = input.nextToken?.startsWith('f/') && events.length === 0 ? input.nextToken : tokenAt('f', end);
	return {events, nextForwardToken: forward, nextBackwardToken: tokenAt('b', start), $metadata: {}};
}

/** The lines a running task's container writes once it is ready: one when it is, then one every ten seconds (real time, divided by the speed). */
function heartbeats(state: SandboxState, stream: string, clock: AccountClock): Array<{timestamp: number; message: string}> {
	const id = stream.split('/').at(-1);
	const task = state.services.flatMap(s => s.tasks).find(t => t.arn.endsWith(`/${id}`));
	if (!task || task.startedAt === undefined) return [];
	const first = task.startedAt + 8000 / clock.speed;
	const every = 10_000 / clock.speed;
	const until = Math.min(clock.now(), task.stoppedAt ?? Number.POSITIVE_INFINITY);
	if (until < first) return [];
	const last = Math.floor((until - first) / every);
	const lines: Array<{timestamp: number; message: string}> = [];
	// A long-running task keeps its newest 5,000 (as if older events had expired).
	for (let k = Math.max(0, last - 5000); k <= last; k++) {
		lines.push({timestamp: Math.round(first + k * every), message: k === 0 ? 'Ready: listening on :80' : `GET /health 200 ${1 + ((k * 7) % 5)}ms`});
	}
	return lines;
}

/** The digest of an ECR image reference (`<acct>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>`) in the account's repositories. */
function imageDigest(state: SandboxState, image: string): string | undefined {
	const match = /\.amazonaws\.com\/([^:@]+):(.+)$/.exec(image);
	if (!match) return undefined;
	return state.repositories[match[1]!]?.find(i => i.tags.includes(match[2]!))?.digest;
}

/** A repository's images, or the error ECR gives for a repository that does not exist. */
function repository(state: SandboxState, input: {repositoryName?: string | undefined; registryId?: string | undefined}) {
	const images = state.repositories[input.repositoryName ?? ''];
	if (!images) throw sandboxError('RepositoryNotFoundException', `The repository with name '${input.repositoryName}' does not exist in the registry with id '${input.registryId ?? sandboxAccount}'`);
	return images;
}
