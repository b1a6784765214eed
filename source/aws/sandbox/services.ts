import type {AwsPorts} from '../ports.js';
import {sandboxError} from './errors.js';
import {sandboxAccount, sandboxCluster, sandboxRegion, type SandboxState} from './state.js';

/* The sandbox's ECS, ECR, STS and CloudWatch Logs calls, answered from the account state. */

/** Runs a handler against the state (see SandboxAccount.call). */
export type Call = <T>(api: string, handler: (state: SandboxState) => T, options?: {mutates?: boolean; faults?: boolean}) => Promise<T>;

export function servicePorts(call: Call): Pick<AwsPorts, 'ecs' | 'ecr' | 'sts' | 'logs'> {
	return {
		ecs: {
			describeClusters: async ({clusters}) =>
				call('DescribeClusters', state => {
					const name = clusters?.[0] ?? 'default';
					if (name !== sandboxCluster && !name.endsWith(`cluster/${sandboxCluster}`)) return {clusters: [], failures: [{arn: `arn:aws:ecs:${sandboxRegion}:${sandboxAccount}:cluster/${name}`, reason: 'MISSING'}], $metadata: {}};
					return {
						clusters: [
							{
								clusterName: sandboxCluster,
								clusterArn: `arn:aws:ecs:${sandboxRegion}:${sandboxAccount}:cluster/${sandboxCluster}`,
								status: 'ACTIVE',
								capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
								activeServicesCount: state.services.length,
								runningTasksCount: state.services.flatMap(s => s.tasks).filter(t => t.lastStatus === 'RUNNING').length,
							},
						],
						failures: [],
						$metadata: {},
					};
				}),
			describeServices: async ({services}) =>
				call('DescribeServices', state => {
					const found = (services ?? []).map(name => state.services.find(s => s.arn === name || s.name === name));
					return {
						services: found.flatMap(s =>
							s
								? [
										{
											serviceArn: s.arn,
											serviceName: s.name,
											clusterArn: `arn:aws:ecs:${sandboxRegion}:${sandboxAccount}:cluster/${sandboxCluster}`,
											status: 'ACTIVE',
											desiredCount: s.desiredCount,
											runningCount: s.tasks.filter(t => t.lastStatus === 'RUNNING').length,
											pendingCount: s.tasks.filter(t => t.desiredStatus === 'RUNNING' && t.lastStatus !== 'RUNNING').length,
											taskDefinition: s.deployments.find(d => d.status === 'PRIMARY')?.taskDefinition,
											// Finished deployments leave DescribeServices; ListServiceDeployments keeps them.
											deployments: s.deployments.filter(d => d.status !== 'INACTIVE').map(d => ({...d, createdAt: new Date(d.createdAt), updatedAt: new Date(d.updatedAt), launchType: 'FARGATE' as const, platformVersion: '1.4.0'})) as never,
											events: s.events.map(e => ({id: e.id, createdAt: new Date(e.createdAt), message: e.message})),
										},
									]
								: [],
						),
						failures: (services ?? []).filter((_, i) => !found[i]).map(arn => ({arn, reason: 'MISSING'})),
						$metadata: {},
					};
				}),
			listTasks: async input =>
				call('ListTasks', state => {
					const tasks = input.serviceName
						? (state.services.find(s => s.arn === input.serviceName || s.name === input.serviceName)?.tasks ?? [])
						: state.services.flatMap(s => s.tasks);
					const selected = input.startedBy
						? tasks.filter(t => t.startedBy === input.startedBy && t.desiredStatus === 'RUNNING')
						: tasks.filter(t => t.desiredStatus === (input.desiredStatus ?? 'RUNNING'));
					return {taskArns: selected.slice(0, 100).map(t => t.arn), $metadata: {}};
				}),
			listServiceDeployments: async ({service, status}) =>
				call('ListServiceDeployments', state => {
					const s = state.services.find(x => x.arn === service || x.name === service);
					if (!s) throw sandboxError('ServiceNotFoundException', 'Service not found.');
					const all = s.deployments.map(d => serviceDeployment(s.arn, s.name, d)).filter(d => !status || status.includes(d.status as never));
					return {serviceDeployments: all.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).slice(0, 20), $metadata: {}};
				}),
			describeServiceDeployments: async ({serviceDeploymentArns}) =>
				call('DescribeServiceDeployments', state => {
					const all = state.services.flatMap(s => s.deployments.map(d => ({...serviceDeployment(s.arn, s.name, d), failures: d.failedTasks})));
					const found = all.filter(d => (serviceDeploymentArns ?? []).includes(d.serviceDeploymentArn));
					return {
						serviceDeployments: found.map(d => ({
							serviceDeploymentArn: d.serviceDeploymentArn,
							serviceArn: d.serviceArn,
							clusterArn: d.clusterArn,
							createdAt: d.createdAt,
							status: d.status as never,
							...(d.statusReason ? {statusReason: d.statusReason} : {}),
							targetServiceRevision: {arn: d.targetServiceRevisionArn},
							deploymentCircuitBreaker: {status: (d.failures >= 3 ? 'TRIGGERED' : 'MONITORING') as never, failureCount: d.failures, threshold: 3},
						})),
						failures: [],
						$metadata: {},
					};
				}),
			describeTasks: async ({tasks}) =>
				call('DescribeTasks', state => {
					const all = state.services.flatMap(s => s.tasks.map(t => ({t, s})));
					return {
						tasks: all
							.filter(({t}) => (tasks ?? []).includes(t.arn))
							.map(({t, s}) => ({
								taskArn: t.arn,
								clusterArn: `arn:aws:ecs:${sandboxRegion}:${sandboxAccount}:cluster/${sandboxCluster}`,
								taskDefinitionArn: t.taskDefinitionArn,
								group: `service:${s.name}`,
								startedBy: t.startedBy,
								lastStatus: t.lastStatus,
								desiredStatus: t.desiredStatus,
								healthStatus: t.healthStatus as never,
								launchType: 'FARGATE' as const,
								...(t.stopCode ? {stopCode: t.stopCode as never} : {}),
								...(t.stoppedReason ? {stoppedReason: t.stoppedReason} : {}),
								createdAt: new Date(t.createdAt),
								containers: t.containers.map(c => ({name: c.name, image: c.image, lastStatus: c.lastStatus, healthStatus: c.healthStatus as never, ...(c.exitCode === undefined ? {} : {exitCode: c.exitCode}), ...(c.reason ? {reason: c.reason} : {})})),
							})),
						failures: [],
						$metadata: {},
					};
				}),
		},
		ecr: {
			listImages: async input =>
				call('ListImages', state => {
					const images = repository(state, input);
					// One entry per tag, 100 to a page by default (1,000 at most).
					const ids = images.flatMap(i => i.tags.map(imageTag => ({imageDigest: i.digest, imageTag})));
					const max = Math.min(input.maxResults ?? 100, 1000);
					const start = input.nextToken ? Number(input.nextToken) : 0;
					return {imageIds: ids.slice(start, start + max), ...(start + max < ids.length ? {nextToken: String(start + max)} : {}), $metadata: {}};
				}),
			describeImages: async input =>
				call('DescribeImages', state => {
					const images = repository(state, input);
					const detail = (i: (typeof images)[number]) => ({registryId: sandboxAccount, repositoryName: input.repositoryName, imageDigest: i.digest, imageTags: i.tags, imagePushedAt: new Date(i.pushedAt), imageSizeInBytes: i.size});
					if (input.imageIds) {
						const tag = input.imageIds[0]?.imageTag;
						const found = images.find(i => i.tags.includes(tag ?? ''));
						if (!found) throw sandboxError('ImageNotFoundException', `The image with imageId {imageDigest:'null', imageTag:'${tag}'} does not exist within the repository with name '${input.repositoryName}' in the registry with id '${sandboxAccount}'`);
						return {imageDetails: [detail(found)], $metadata: {}};
					}
					const tagged = images.filter(i => i.tags.length > 0);
					const max = input.maxResults ?? 100;
					const start = input.nextToken ? Number(input.nextToken) : 0;
					return {imageDetails: tagged.slice(start, start + max).map(detail), ...(start + max < tagged.length ? {nextToken: String(start + max)} : {}), $metadata: {}};
				}),
		},
		sts: {
			getCallerIdentity: async () =>
				call('GetCallerIdentity', () => ({Account: sandboxAccount, Arn: `arn:aws:sts::${sandboxAccount}:assumed-role/SandboxOperator/you`, UserId: 'AROASANDBOXOPERATOR:you', $metadata: {}}), {faults: false}),
		},
		logs: {
			getLogEvents: async ({logGroupName, logStreamName}) =>
				call('GetLogEvents', state => {
					const lines = state.logs[`${logGroupName}|${logStreamName}`];
					if (!lines) throw sandboxError('ResourceNotFoundException', 'The specified log stream does not exist.');
					return {events: lines.map(l => ({timestamp: l.timestamp, message: l.message, ingestionTime: l.timestamp + 200})), nextForwardToken: 'f/0', nextBackwardToken: 'b/0', $metadata: {}};
				}),
		},
	};
}

/** A deployment as ListServiceDeployments shows it (status names from the ECS API). */
function serviceDeployment(serviceArn: string, serviceName: string, d: SandboxState['services'][number]['deployments'][number]) {
	const status = d.rolloutState === 'COMPLETED' ? 'SUCCESSFUL' : d.rolloutState === 'FAILED' ? 'ROLLBACK_SUCCESSFUL' : d.status === 'INACTIVE' ? 'STOPPED' : 'IN_PROGRESS';
	return {
		serviceDeploymentArn: `arn:aws:ecs:${sandboxRegion}:${sandboxAccount}:service-deployment/${sandboxCluster}/${serviceName}/${d.id.slice('ecs-svc/'.length)}`,
		serviceArn,
		clusterArn: `arn:aws:ecs:${sandboxRegion}:${sandboxAccount}:cluster/${sandboxCluster}`,
		createdAt: new Date(d.createdAt),
		status: status as 'SUCCESSFUL' | 'ROLLBACK_SUCCESSFUL' | 'STOPPED' | 'IN_PROGRESS',
		...(d.rolloutState === 'FAILED' ? {statusReason: d.rolloutStateReason} : {}),
		targetServiceRevisionArn: `arn:aws:ecs:${sandboxRegion}:${sandboxAccount}:service-revision/${sandboxCluster}/${serviceName}/${d.id.slice('ecs-svc/'.length)}`,
	};
}

/** A repository's images, or the error ECR gives for a repository that does not exist. */
function repository(state: SandboxState, input: {repositoryName?: string | undefined; registryId?: string | undefined}) {
	const images = state.repositories[input.repositoryName ?? ''];
	if (!images) throw sandboxError('RepositoryNotFoundException', `The repository with name '${input.repositoryName}' does not exist in the registry with id '${input.registryId ?? sandboxAccount}'`);
	return images;
}
