import type {ResolvedRecipe} from '../recipe/resolved.js';
import type {ServiceSpec, VolumeSpec} from '../recipe/schema.js';
import {describeImageSource} from '../recipe/images.js';
import {cpuArchitectureOf} from '../recipe/settings.js';
import {containerDefinitions, logGroupId, type ComposedValue, type ContainerNeeds} from './containers.js';
import {deploymentConfiguration, loadBalancer} from './deployment.js';
import {scalingResources} from './scaling.js';
import {executionRole, executionRoleId, secretPolicyId, secretReadPolicy} from './iam.js';
import {composedSecretName, imageTagParameter, secretName, secretParameter, secretResource} from './names.js';
import {resourceTags, stackTags} from './tags.js';
import type {BuiltTemplate, CfnParameter, CfnResource, CfnTemplate, CfnValue, Tag} from './types.js';

/**
 * Builds the CloudFormation template for a resolved recipe: a Fargate task definition and its service,
 * plus a log group and an execution role when the recipe asks for them, and a Secrets Manager secret per
 * sensitive literal used as a whole value and per value composed with sensitive literals. Pure: the same
 * input gives the same template, key for key.
 */
export function buildTemplate(resolved: ResolvedRecipe): BuiltTemplate {
	const {service} = resolved;
	const tags = resourceTags(resolved);
	const needs: ContainerNeeds = {
		sensitiveSources: new Map(Object.values(resolved.sensitive).map(s => [s.name, s.valueFrom])),
		secretParameters: new Map(),
		wholeSecrets: new Set(),
		composedValues: [],
		secretSources: new Set(),
		s3Objects: new Set(),
	};
	const containers = containerDefinitions(resolved, needs);
	const secretParameters = [...needs.secretParameters].sort(([a], [b]) => a.localeCompare(b));
	const wholeSecrets = secretParameters.filter(([, variable]) => needs.wholeSecrets.has(variable));
	const createdSecrets = [...wholeSecrets.map(([, variable]) => secretResource(variable)), ...needs.composedValues.map(c => c.id)];

	const resources: Record<string, CfnResource> = {};
	if (needs.autoLogRetention !== undefined) {
		resources[logGroupId] = {
			Type: 'AWS::Logs::LogGroup',
			Properties: {
				LogGroupName: `/ecs/${resolved.project}/${resolved.environment}`,
				RetentionInDays: needs.autoLogRetention,
				Tags: tags,
			},
		};
	}
	for (const [parameter, variable] of wholeSecrets) resources[secretResource(variable)] = secret(resolved, parameter, variable, tags);
	for (const value of needs.composedValues) resources[value.id] = composedSecret(resolved, value, tags);
	let serviceDependsOn: string[] | undefined;
	if (service.executionRole === undefined) {
		resources[executionRoleId] = executionRole({secretSources: needs.secretSources, createdSecrets, s3Objects: needs.s3Objects, ...(service.permissionsBoundary === undefined ? {} : {permissionsBoundary: service.permissionsBoundary})}, tags);
	} else if (createdSecrets.length > 0) {
		// The recipe's own role reads the secrets the stack creates through each secret's resource policy: the
		// stack never changes a role it did not create (see iam.ts).
		for (const id of createdSecrets) resources[secretPolicyId(id)] = secretReadPolicy(id, service.executionRole);
		// Tasks must not start before their role can read the secrets; on delete, the service goes first.
		serviceDependsOn = createdSecrets.map(secretPolicyId);
	}
	resources['TaskDefinition'] = taskDefinition(service, containers, tags);
	resources['Service'] = {...ecsService(service, tags), ...(serviceDependsOn === undefined ? {} : {DependsOn: serviceDependsOn})};
	Object.assign(resources, scalingResources(service, tags));

	const {parameters, withoutDefault} = imageParameters(resolved);
	parameters['ClusterName'] = {
		Type: 'String',
		Description: 'Name of the ECS cluster the service runs in',
		...(resolved.target === undefined ? {} : {Default: resolved.target.cluster}),
	};
	for (const [parameter, variable] of secretParameters) {
		parameters[parameter] = {Type: 'String', NoEcho: true, Description: `Sensitive variable ${variable} (supplied at deploy time, never stored in the template)`};
	}

	const template: CfnTemplate = {
		AWSTemplateFormatVersion: '2010-09-09',
		Description: `${resolved.project} (${resolved.environment}): ECS Fargate service, managed by ecs-deployer${resolved.description ? `. ${resolved.description}` : ''}`,
		Parameters: parameters,
		Resources: resources,
		Outputs: outputs(needs.autoLogRetention !== undefined),
	};
	return {
		template,
		stackName: service.stackName,
		stackTags: stackTags(resolved),
		imageParametersWithoutDefault: withoutDefault,
		secretParameters: secretParameters.map(([parameter, variable]) => ({parameter, variable})),
	};
}

function imageParameters(resolved: ResolvedRecipe): {parameters: Record<string, CfnParameter>; withoutDefault: string[]} {
	const parameters: Record<string, CfnParameter> = {};
	const withoutDefault: string[] = [];
	for (const ref of Object.keys(resolved.images).sort()) {
		const image = resolved.images[ref]!;
		if (!resolved.service.containers.some(c => c.image === ref)) continue;
		const name = imageTagParameter(ref);
		parameters[name] = {
			Type: 'String',
			Description: `Tag of image ${ref} (${describeImageSource(image)})`,
			...(image.tag === undefined ? {} : {Default: image.tag}),
			AllowedPattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,299}$',
			ConstraintDescription: 'an image tag: letters, digits, _ . and -, not starting with . or -',
		};
		if (image.tag === undefined) withoutDefault.push(name);
	}
	return {parameters, withoutDefault};
}

/**
 * The secret that holds a sensitive literal used as a whole value. NoEcho parameters are used only in the
 * `SecretString` of the stack's secrets (this one and composed ones): a value in the task definition would
 * be readable by anyone allowed `ecs:DescribeTaskDefinition`, while a secret is readable only by who may
 * `secretsmanager:GetSecretValue` it (the execution role).
 */
function secret(resolved: ResolvedRecipe, parameter: string, variable: string, tags: Tag[]): CfnResource {
	return {
		Type: 'AWS::SecretsManager::Secret',
		Properties: {
			Name: {'Fn::Sub': secretName('${AWS::StackName}', variable)},
			Description: `Sensitive variable ${variable} of ${resolved.project} (${resolved.environment}), supplied at deploy time; managed by ecs-deployer`,
			SecretString: {Ref: parameter},
			Tags: tags,
		},
	};
}

/**
 * The secret that holds a composed value: the text and the NoEcho parameters joined in CloudFormation, so the
 * whole value exists only in the secret (never in the template or the task definition).
 */
function composedSecret(resolved: ResolvedRecipe, value: ComposedValue, tags: Tag[]): CfnResource {
	const parts: CfnValue[] = value.parts.map(part => (part.kind === 'text' ? part.text : {Ref: secretParameter(part.name)}));
	const variables = [...new Set(value.parts.flatMap(part => (part.kind === 'sensitive' ? [part.name] : [])))];
	const name = value.name.length > 100 ? `${value.name.slice(0, 100)}…` : value.name;
	return {
		Type: 'AWS::SecretsManager::Secret',
		Properties: {
			Name: {'Fn::Sub': composedSecretName('${AWS::StackName}', value.id)},
			Description: `${value.field} ${name} of container ${value.container} in ${resolved.project} (${resolved.environment}), composed with sensitive variable${variables.length === 1 ? '' : 's'} ${variables.join(', ')} supplied at deploy time; managed by ecs-deployer`,
			SecretString: {'Fn::Join': ['', parts]},
			Tags: tags,
		},
	};
}

function taskDefinition(service: ServiceSpec, containers: CfnValue[], tags: Tag[]): CfnResource {
	return {
		Type: 'AWS::ECS::TaskDefinition',
		Properties: {
			Family: service.family,
			Cpu: String(service.cpu),
			Memory: String(service.memory),
			NetworkMode: 'awsvpc',
			RequiresCompatibilities: ['FARGATE'],
			RuntimePlatform: {OperatingSystemFamily: 'LINUX', CpuArchitecture: cpuArchitectureOf(service)},
			...(service.ephemeralStorage === undefined ? {} : {EphemeralStorage: {SizeInGiB: service.ephemeralStorage}}),
			ExecutionRoleArn: service.executionRole ?? {'Fn::GetAtt': [executionRoleId, 'Arn']},
			...(service.taskRole === undefined ? {} : {TaskRoleArn: service.taskRole}),
			ContainerDefinitions: containers,
			...(service.volumes.length > 0 ? {Volumes: service.volumes.map(volume)} : {}),
			Tags: tags,
		},
	};
}

function volume(spec: VolumeSpec): CfnValue {
	if (spec.type === 'bind') return {Name: spec.name};
	const enabled = (on: boolean) => (on ? 'ENABLED' : 'DISABLED');
	return {
		Name: spec.name,
		EFSVolumeConfiguration: {
			FilesystemId: spec.fileSystemId,
			...(spec.rootDirectory === undefined ? {} : {RootDirectory: spec.rootDirectory}),
			TransitEncryption: enabled(spec.transitEncryption),
			...(spec.transitEncryptionPort === undefined ? {} : {TransitEncryptionPort: spec.transitEncryptionPort}),
			...(spec.accessPointId !== undefined || spec.iamAuthorization
				? {
						AuthorizationConfig: {
							...(spec.accessPointId === undefined ? {} : {AccessPointId: spec.accessPointId}),
							IAM: enabled(spec.iamAuthorization),
						},
					}
				: {}),
		},
	};
}

function ecsService(service: ServiceSpec, tags: Tag[]): CfnResource {
	const {deployment} = service;
	return {
		Type: 'AWS::ECS::Service',
		Properties: {
			Cluster: {Ref: 'ClusterName'},
			...(service.serviceName === undefined ? {} : {ServiceName: service.serviceName}),
			TaskDefinition: {Ref: 'TaskDefinition'},
			// With auto scaling the scaler owns the count: a DesiredCount in the template would reset it on
			// every update (CloudFormation leaves the count alone when the property is absent).
			...(service.autoScaling === undefined ? {DesiredCount: service.desiredCount} : {}),
			// A capacity provider strategy and a launch type cannot both be given.
			...(service.capacityProviderStrategy === undefined
				? {LaunchType: 'FARGATE'}
				: {
						CapacityProviderStrategy: service.capacityProviderStrategy.map(item => ({
							CapacityProvider: item.capacityProvider,
							...(item.base === undefined ? {} : {Base: item.base}),
							...(item.weight === undefined ? {} : {Weight: item.weight}),
						})),
					}),
			...(service.platformVersion === undefined ? {} : {PlatformVersion: service.platformVersion}),
			NetworkConfiguration: {
				AwsvpcConfiguration: {
					Subnets: service.network.subnets,
					...(service.network.securityGroups.length > 0 ? {SecurityGroups: service.network.securityGroups} : {}),
					AssignPublicIp: service.network.assignPublicIp ? 'ENABLED' : 'DISABLED',
				},
			},
			DeploymentController: {Type: 'ECS'},
			DeploymentConfiguration: deploymentConfiguration(service),
			...(service.loadBalancers.length > 0
				? {
						LoadBalancers: service.loadBalancers.map(lb => loadBalancer(service, lb)),
						...(deployment.healthCheckGracePeriodSeconds === undefined ? {} : {HealthCheckGracePeriodSeconds: deployment.healthCheckGracePeriodSeconds}),
					}
				: {}),
			EnableECSManagedTags: service.managedTags,
			...(service.enableExecuteCommand === undefined ? {} : {EnableExecuteCommand: service.enableExecuteCommand}),
			...(service.availabilityZoneRebalancing === undefined ? {} : {AvailabilityZoneRebalancing: service.availabilityZoneRebalancing ? 'ENABLED' : 'DISABLED'}),
			// The resource type accepts only SERVICE and TASK_DEFINITION; leaving it out is how to say NONE.
			...(service.propagateTags === 'NONE' ? {} : {PropagateTags: service.propagateTags}),
			Tags: [...tags, ...service.serviceTags.map(tag => ({Key: tag.key, Value: tag.value}))],
		},
	};
}

function outputs(withLogGroup: boolean): CfnTemplate['Outputs'] {
	return {
		ServiceArn: {Description: 'ARN of the ECS service', Value: {Ref: 'Service'}},
		ServiceName: {Description: 'Name of the ECS service', Value: {'Fn::GetAtt': ['Service', 'Name']}},
		TaskDefinitionArn: {Description: 'ARN of the task definition revision', Value: {Ref: 'TaskDefinition'}},
		ClusterName: {Description: 'ECS cluster of the service', Value: {Ref: 'ClusterName'}},
		...(withLogGroup ? {LogGroupName: {Description: 'CloudWatch log group of the containers', Value: {Ref: logGroupId}}} : {}),
	};
}
