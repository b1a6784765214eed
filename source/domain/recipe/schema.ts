import {z} from 'zod';
import {parseLedgerLocation} from '../ledger-location.js';
import {regionCodePattern} from '../regions.js';
import {environmentNamePattern, targetTagPattern} from './name-patterns.js';

export {environmentNamePattern, targetTagPattern} from './name-patterns.js';

/*
 * The recipe format, in two schemas:
 * - `recipeDocumentSchema` checks the whole file as written (project, environments, images, variables,
 *   channels). The `service` section is only checked to be a mapping here, because any of its strings may
 *   hold `#{Variable}` expressions whose values depend on the environment.
 * - `serviceSchema` checks the `service` section after variables were substituted for one environment.
 *   Numbers and booleans may therefore arrive as strings ("2", "true") and are coerced.
 * Cross-field rules (task size, references between containers, volumes and load balancers) live in rules.ts.
 */

/**
 * The text of a number as YAML writes one: decimal (`256`, `+5`, `1024.0`, `1e3`), hexadecimal (`0x100`) or
 * octal (`0o17`). The reader keeps such text as written when the number would print otherwise (see
 * recipeValue), and substitution produces text, so number fields read numbers from it.
 */
const numberText = /^\s*(?:[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+)\s*$/;

/** A number from its text (see `numberText`), or the value as it is. */
function fromNumberText(value: unknown): unknown {
	return typeof value === 'string' && numberText.test(value) ? Number(value.trim()) : value;
}

/** A number (not necessarily whole) in [min, max]; accepts the text of a number. */
function decimalNumber(range: Range) {
	return z.preprocess(fromNumberText, z.number().min(range.min).max(range.max));
}

/** A whole number in [min, max]; accepts the text of a number, as substitution produces text. */
export function wholeNumber(min: number, max: number) {
	return z.preprocess(fromNumberText, z.number().int().min(min).max(max));
}

/** A range of whole numbers a field allows. */
export type Range = {readonly min: number; readonly max: number};

const inRange = (range: Range) => wholeNumber(range.min, range.max);

/** A yes/no value; accepts "true"/"false" text, as substitution produces text. */
export const yesNo = z.preprocess(value => {
	if (value === 'true') return true;
	if (value === 'false') return false;
	return value;
}, z.boolean());

/** Scalars written in YAML as numbers or booleans are read as their text (environment values, tags). */
export const text = z.preprocess(
	value => (typeof value === 'number' || typeof value === 'boolean' ? String(value) : value),
	z.string(),
);

const nonEmptyText = z.preprocess(
	value => (typeof value === 'number' || typeof value === 'boolean' ? String(value) : value),
	z.string().trim().min(1),
);

const list = <T extends z.ZodType>(item: T) => z.array(item);

/*
 * Patterns, ranges and limits are named (and exported) so that the step form checks what is typed by the
 * schema's own rules: what the form accepts, the validator accepts.
 */

/** Ranges of the numbers the schema checks. */
export const ranges = {
	desiredCount: {min: 0, max: 10_000},
	port: {min: 1, max: 65_535},
	containerCpu: {min: 0, max: 16_384},
	containerMemory: {min: 6, max: 122_880},
	taskCpu: {min: 256, max: 16_384},
	taskMemory: {min: 512, max: 122_880},
	healthCheckInterval: {min: 5, max: 300},
	healthCheckTimeout: {min: 2, max: 120},
	healthCheckRetries: {min: 1, max: 10},
	healthCheckStartPeriod: {min: 0, max: 300},
	minimumHealthyPercent: {min: 0, max: 100},
	maximumPercent: {min: 1, max: 200},
	gracePeriodSeconds: {min: 0, max: 2_147_483_647},
	timeoutMinutes: {min: 1, max: 1440},
	/** Container startTimeout and stopTimeout on Fargate: "The valid values for Fargate are 2-120 seconds" (ECS API reference, ContainerDefinition). */
	containerTimeout: {min: 2, max: 120},
	/** Task ephemeral storage on Fargate, GiB: "The minimum supported value is 21 GiB and the maximum supported value is 200 GiB" (EphemeralStorage). */
	ephemeralStorage: {min: 21, max: 200},
	/** A ulimit's soft and hard limit (an ECS Integer). */
	ulimit: {min: 0, max: 2_147_483_647},
	/** Capacity provider strategy `base` (0 to 100,000) and `weight` (0 to 1,000) (CapacityProviderStrategyItem). */
	capacityBase: {min: 0, max: 100_000},
	capacityWeight: {min: 0, max: 1000},
	/** Bake times of the traffic-shifting strategies, minutes: "Valid values are 0 to 1440 minutes (24 hours)" (CanaryConfiguration, LinearConfiguration). */
	bakeTimeMinutes: {min: 0, max: 1440},
	/** A lifecycle hook's timeout, minutes (ECS's default and most: 1440, 24 hours). */
	hookTimeoutMinutes: {min: 1, max: 1440},
	/** Target tracking on CPU or memory: the average utilisation to keep, in percent. */
	targetUtilization: {min: 1, max: 100},
	/** Target tracking on ALB requests: requests per target (per minute) to keep. */
	requestsPerTarget: {min: 1, max: 1_000_000},
	/** Scale-in and scale-out cooldowns, seconds. */
	cooldownSeconds: {min: 0, max: 86_400},
	/** Minutes a beforeDeploy task may run before it is stopped and the deploy fails. */
	beforeDeployTimeoutMinutes: {min: 1, max: 120},
} as const satisfies Record<string, Range>;

/** Percentages of traffic the canary and linear strategies shift: multiples of 0.1 in these ranges (ECS API reference). */
export const percentRanges = {
	canaryPercent: {min: 0.1, max: 100},
	linearStepPercent: {min: 3, max: 100},
} as const satisfies Record<string, Range>;

/** The longest image repository name or path. */
export const maxRepositoryLength = 256;
/** ECS allows at most 10 containers in a task definition (not adjustable): https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html */
export const maxContainers = 10;
/** A capacity provider strategy holds at most 20 capacity providers (CapacityProviderStrategyItem). */
export const maxCapacityProviders = 20;
/** An awsvpc task takes at most 16 subnets and 5 security groups. */
export const maxSubnets = 16;
export const maxSecurityGroups = 5;
/** beforeDeploy tasks a recipe may declare (each runs in turn and must exit 0 before the service changes). */
export const maxBeforeDeployTasks = 5;
/** Words of a beforeDeploy command, and characters in all: ECS takes up to 8,192 characters of overrides per RunTask. */
export const beforeDeployCommandLimits = {words: 64, characters: 4096} as const;
/** A beforeDeploy task's name: shown in the live view and the log, and used in its startedBy. */
export const beforeDeployNamePattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

// ---------------------------------------------------------------------------------------------
// The document as written

export const imageRefPattern = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;
export const projectNamePattern = /^[A-Za-z][A-Za-z0-9-]{0,63}$/;
export const accountIdPattern = /^\d{12}$/;
/** The shape of an AWS Region code (see domain/regions.ts). */
export const regionPattern = regionCodePattern;

/** The target tags a recipe (or one environment of it) deploys to: a target serves it when it carries one of them. */
const targetTags = list(z.string().refine(value => targetTagPattern.test(value), {message: 'must be a target tag: up to 128 letters, digits and _ . : / -, starting with a letter or digit'})).min(1, {message: 'name at least one target tag, or leave targetTags out (any target of the environment)'});

const environmentEntry = z.preprocess(
	value => (typeof value === 'string' ? {name: value} : value),
	z.strictObject({
		name: z.string().regex(environmentNamePattern),
		desiredCount: inRange(ranges.desiredCount).optional(),
		/** The target tags this environment deploys to, instead of the recipe's `targetTags`. */
		targetTags: targetTags.optional(),
		variables: z.record(z.string(), text).optional(),
		/** Deployment settings for this environment (strategy, approval…), checked after substitution like the service. */
		deployment: z.record(z.string(), z.unknown()).optional(),
	}),
);

const imageSource = z.strictObject({
	/** ECR repository name, or the repository path in another registry (`library/nginx`). */
	repository: z.string().trim().min(1).max(maxRepositoryLength),
	/** Another registry's host (docker.io, ghcr.io, quay.io); absent = Amazon ECR. */
	registry: z.string().trim().min(1).optional(),
	/** ECR registry account id; absent = the target's account. */
	account: z.string().regex(accountIdPattern).optional(),
	/** ECR registry region; absent = the target's region. */
	region: z.string().regex(regionPattern).optional(),
	/** Secrets Manager ARN holding private-registry credentials (ECS repositoryCredentials). */
	credentials: z.string().trim().min(1).optional(),
	/** The tag a release takes by default (an image outside the account's ECR, whose tags cannot be listed). */
	tag: z
		.preprocess(value => (typeof value === 'number' ? String(value) : value), z.string())
		.refine(value => /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,299}$/.test(value), {message: 'must be an image tag: up to 300 letters, digits, _ . and -, not starting with . or -'})
		.optional(),
});

const variableEntry = z.strictObject({
	name: z.string().min(1),
	value: text.optional(),
	valueFrom: z.string().trim().min(1).optional(),
	environments: list(z.string()).optional(),
	/** Scope: the targets (by name) it applies to, as Octopus scopes a variable to deployment targets; absent = all. */
	targets: list(z.string().min(1)).optional(),
	sensitive: z.boolean().optional(),
	description: z.string().optional(),
});

export const channelNamePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

const channelEntry = z.strictObject({
	name: z.string().regex(channelNamePattern),
	description: z.string().optional(),
	default: z.boolean().optional(),
	/** A semver range (npm syntax: `>=1.2.0 <2`, `^1.4`, `1.x`) that image tags must satisfy. */
	versionRange: z.string().trim().min(1).optional(),
	/** An RE2 pattern the pre-release part of the tag must match (linear-time, see image-tags.ts): `^$` = no pre-release, `^beta`. */
	prereleaseTag: z.string().optional(),
	/** Images the rules apply to; absent = all images. */
	images: list(z.string()).optional(),
	/** Environments a release of this channel may be deployed to; absent = all. */
	environments: list(z.string()).optional(),
});

export const recipeDocumentSchema = z.strictObject({
	name: z.string().regex(projectNamePattern),
	description: z.string().optional(),
	environments: list(environmentEntry).min(1),
	/**
	 * The target tags the recipe deploys to (Octopus Deploy's target roles): in each environment, the targets
	 * that serve it and carry one of these tags; absent = every target that serves the environment.
	 */
	targetTags: targetTags.optional(),
	images: z.record(z.string().regex(imageRefPattern), imageSource),
	variables: list(variableEntry).optional(),
	channels: list(channelEntry).optional(),
	/** Where releases and deployment records are kept: `s3://bucket/prefix`, shared by a team; absent = the target's, else this workspace. */
	ledger: z
		.string()
		.superRefine((value, context) => {
			const parsed = parseLedgerLocation(value);
			if ('problem' in parsed) context.addIssue({code: 'custom', message: parsed.problem});
		})
		.optional(),
	service: z.record(z.string(), z.unknown()),
});

export type RecipeDocument = z.output<typeof recipeDocumentSchema>;
export type EnvironmentEntry = RecipeDocument['environments'][number];
export type ImageSource = z.output<typeof imageSource>;
export type VariableEntry = z.output<typeof variableEntry>;
export type ChannelEntry = z.output<typeof channelEntry>;

// ---------------------------------------------------------------------------------------------
// The service section, after substitution

export const roleArnPattern = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
/** Container, volume and service names, and task definition families. */
export const resourceNamePattern = /^[A-Za-z0-9_-]{1,255}$/;
export const portNamePattern = /^[a-z0-9][a-z0-9-]{0,63}$/;
export const environmentVariableNamePattern = /^[^=\s]+$/;
export const absolutePathPattern = /^\//;
export const streamPrefixPattern = /^[^:*]{1,512}$/;
export const subnetIdPattern = /^subnet-[0-9a-f]{8,17}$/;
export const securityGroupIdPattern = /^sg-[0-9a-f]{8,17}$/;
export const fileSystemIdPattern = /^fs-[0-9a-f]{8,40}$/;
export const accessPointIdPattern = /^fsap-[0-9a-f]{8,40}$/;
/** An Application Load Balancer listener rule, or a Network Load Balancer listener (blue/green traffic routing). */
export const listenerRuleArnPattern = /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:(listener-rule\/app\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}\/[0-9a-f]{16}\/[0-9a-f]{16}|listener\/(app|net)\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}\/[0-9a-f]{16})$/;
/** An Application Load Balancer (for ALB request-count scaling). */
export const loadBalancerArnPattern = /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/app\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/;
/** A scheduled action's schedule, as Application Auto Scaling writes them: `cron(…)`, `rate(…)` or `at(yyyy-mm-ddThh:mm:ss)`. */
export const schedulePattern = /^(cron\([^()]+\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\)|at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\))$/;
export const targetGroupArnPattern = /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/;

const roleArn = z.string().regex(roleArnPattern);
const port = inRange(ranges.port);

const portMapping = z.preprocess(
	value => (typeof value === 'number' || typeof value === 'string' ? {containerPort: value} : value),
	z.strictObject({
		containerPort: port,
		/** On Fargate (awsvpc) the host port must equal the container port; it may be left out. */
		hostPort: port.optional(),
		protocol: z.enum(['tcp', 'udp']).default('tcp'),
		name: z.string().regex(portNamePattern).optional(),
		appProtocol: z.enum(['http', 'http2', 'grpc']).optional(),
	}),
);

const healthCheck = z.strictObject({
	/** `["CMD-SHELL", "curl -f http://localhost/ || exit 1"]`, `["CMD", "/bin/check"]`, or a shell string. */
	command: z.preprocess(
		value => (typeof value === 'string' ? ['CMD-SHELL', value] : value),
		list(z.string()).min(2),
	),
	interval: inRange(ranges.healthCheckInterval).default(30),
	timeout: inRange(ranges.healthCheckTimeout).default(5),
	retries: inRange(ranges.healthCheckRetries).default(3),
	startPeriod: inRange(ranges.healthCheckStartPeriod).optional(),
});

const secretRef = z.strictObject({
	name: z.string().trim().min(1),
	valueFrom: z.string().trim().min(1),
});

export const logRetentionDays = [
	1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * The log drivers a Fargate task may use; ECS refuses the others (fluentd, gelf, json-file, journald, syslog…)
 * for Fargate. https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_logging
 */
export const fargateLogDrivers = ['awslogs', 'splunk', 'awsfirelens'] as const;

const logging = z.preprocess(
	value => (typeof value === 'string' ? {type: value} : value),
	z.discriminatedUnion('type', [
		z.strictObject({
			/** CloudWatch Logs configured by the tool: a log group is created with the stack. */
			type: z.literal('auto'),
			streamPrefix: z.string().regex(streamPrefixPattern).optional(),
			retentionDays: z.preprocess(fromNumberText, z.literal(logRetentionDays)).default(30),
		}),
		z.strictObject({
			type: z.literal('manual'),
			driver: z.enum(fargateLogDrivers),
			options: z.record(z.string(), text).optional(),
			secretOptions: list(secretRef).optional(),
		}),
		z.strictObject({type: z.literal('none')}),
	]),
);

const firelens = z.strictObject({
	type: z.enum(['fluentbit', 'fluentd']),
	options: z.record(z.string(), text).optional(),
	configFile: z
		.strictObject({
			type: z.enum(['s3', 'file']),
			value: z.string().trim().min(1),
		})
		.optional(),
});

/** The ulimit names ECS takes (UlimitName in the ECS API). */
export const ulimitNames = ['core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice', 'nofile', 'nproc', 'rss', 'rtprio', 'rttime', 'sigpending', 'stack'] as const;

/** The Linux capabilities ECS takes in `linuxParameters.capabilities` (KernelCapabilities in the ECS API). */
export const linuxCapabilities = [
	'ALL', 'AUDIT_CONTROL', 'AUDIT_WRITE', 'BLOCK_SUSPEND', 'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'IPC_LOCK', 'IPC_OWNER', 'KILL', 'LEASE',
	'LINUX_IMMUTABLE', 'MAC_ADMIN', 'MAC_OVERRIDE', 'MKNOD', 'NET_ADMIN', 'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_RAW', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_ADMIN',
	'SYS_BOOT', 'SYS_CHROOT', 'SYS_MODULE', 'SYS_NICE', 'SYS_PACCT', 'SYS_PTRACE', 'SYS_RAWIO', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'SYSLOG', 'WAKE_ALARM',
] as const;

export const containerSchema = z.strictObject({
	name: z.string().regex(resourceNamePattern),
	/** The name of an entry in `images`. */
	image: z.string().min(1),
	essential: yesNo.default(true),
	cpu: inRange(ranges.containerCpu).optional(),
	memory: inRange(ranges.containerMemory).optional(),
	memoryReservation: inRange(ranges.containerMemory).optional(),
	ports: list(portMapping).default([]),
	healthCheck: healthCheck.optional(),
	entryPoint: list(z.string()).optional(),
	command: list(z.string()).optional(),
	workingDirectory: z.string().min(1).optional(),
	environment: z.record(z.string().regex(environmentVariableNamePattern), text).default({}),
	environmentFiles: list(z.string()).default([]),
	secrets: list(secretRef).default([]),
	mountPoints: list(
		z.strictObject({
			volume: z.string().min(1),
			path: z.string().regex(absolutePathPattern),
			readOnly: yesNo.default(false),
		}),
	).default([]),
	dependsOn: list(
		z.strictObject({
			container: z.string().min(1),
			condition: z.enum(['START', 'COMPLETE', 'SUCCESS', 'HEALTHY']).default('START'),
		}),
	).default([]),
	logging: logging.default({type: 'auto', retentionDays: 30}),
	firelens: firelens.optional(),
	/** `user`, `user:group`, `uid`, `uid:gid` (mixed forms too): who the container's process runs as. */
	user: z.string().trim().min(1).optional(),
	readonlyRootFilesystem: yesNo.optional(),
	/** Seconds to wait for this container to reach the condition others depend on (2–120 on Fargate). */
	startTimeout: inRange(ranges.containerTimeout).optional(),
	/** Seconds between SIGTERM and SIGKILL when the task stops (2–120 on Fargate; ECS's default is 30). */
	stopTimeout: inRange(ranges.containerTimeout).optional(),
	ulimits: list(
		z.strictObject({
			name: z.enum(ulimitNames),
			softLimit: inRange(ranges.ulimit),
			hardLimit: inRange(ranges.ulimit),
		}),
	).default([]),
	/** Docker labels of the container: name → value. */
	dockerLabels: z.record(z.string().min(1), text).default({}),
	/** Mount every volume of another container of the task. */
	volumesFrom: list(z.strictObject({container: z.string().min(1), readOnly: yesNo.default(false)})).default([]),
	linuxParameters: z
		.strictObject({
			capabilities: z
				.strictObject({
					add: list(z.enum(linuxCapabilities)).default([]),
					drop: list(z.enum(linuxCapabilities)).default([]),
				})
				.optional(),
			/** Run an init process (tini) as PID 1 that forwards signals and reaps zombies; ECS Exec recommends it. */
			initProcessEnabled: yesNo.optional(),
		})
		.optional(),
	/** Namespaced kernel parameters (`net.*`, `kernel.shm*`, `kernel.msg*`, `kernel.sem`, `fs.mqueue.*`). */
	systemControls: list(z.strictObject({namespace: z.string().trim().min(1), value: text})).default([]),
});

const volume = z.discriminatedUnion('type', [
	z.strictObject({
		name: z.string().regex(resourceNamePattern),
		/** A bind mount on the task's ephemeral storage, shared between its containers. */
		type: z.literal('bind'),
	}),
	z.strictObject({
		name: z.string().regex(resourceNamePattern),
		type: z.literal('efs'),
		fileSystemId: z.string().regex(fileSystemIdPattern),
		rootDirectory: z.string().regex(absolutePathPattern).optional(),
		transitEncryption: yesNo.default(false),
		transitEncryptionPort: port.optional(),
		accessPointId: z.string().regex(accessPointIdPattern).optional(),
		iamAuthorization: yesNo.default(false),
	}),
]);

const waitOption = z.preprocess(
	value => (typeof value === 'string' ? {mode: value} : value),
	z.union([
		z.strictObject({mode: z.enum(['none', 'complete'])}),
		z.strictObject({mode: z.literal('timeout').default('timeout'), timeoutMinutes: inRange(ranges.timeoutMinutes)}),
	]),
);

/** How ECS deploys a new revision (DeploymentConfiguration.Strategy: ROLLING, BLUE_GREEN, CANARY, LINEAR). */
export const deploymentStrategies = ['rolling', 'blue-green', 'canary', 'linear'] as const;
export type DeploymentStrategy = (typeof deploymentStrategies)[number];

/**
 * The lifecycle stages of an ECS service deployment a hook can be at (DeploymentLifecycleHook.lifecycleStages).
 * PAUSE hooks cannot be at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT: rules.ts says so by name.
 */
export const lifecycleStages = [
	'RECONCILE_SERVICE',
	'PRE_SCALE_UP',
	'POST_SCALE_UP',
	'TEST_TRAFFIC_SHIFT',
	'POST_TEST_TRAFFIC_SHIFT',
	'PRE_PRODUCTION_TRAFFIC_SHIFT',
	'PRODUCTION_TRAFFIC_SHIFT',
	'POST_PRODUCTION_TRAFFIC_SHIFT',
] as const;

/** The CPU architectures of a Fargate Linux task. */
export const cpuArchitectures = ['X86_64', 'ARM64'] as const;

/** A Fargate platform version: `LATEST` or `1.4.0`. */
export const platformVersionPattern = /^(LATEST|\d+\.\d+\.\d+)$/;

export const tagSchema = z.strictObject({key: nonEmptyText, value: text.default('')});

/** Defaults that hold variables, so they are filled in before substitution rather than by the schema. */
export const serviceDefaults = {stackName: '#{Project}-#{Environment}', family: '#{Project}-#{Environment}'} as const;

/**
 * The deployment strategy and its settings: in `service.deployment`, and each may be overridden for one
 * environment in `environments[].deployment` (see `deploymentOverrideSchema`).
 */
const strategyFields = {
	/**
	 * How ECS replaces the running tasks: `rolling` (the default), or `blue-green`, `canary`, `linear`,
	 * which start the new revision next to the old one and shift load balancer traffic to it. Absent:
	 * not written (a service keeps ROLLING); write `rolling` to go back from another strategy.
	 */
	strategy: z.enum(deploymentStrategies).optional(),
	/** Minutes both revisions keep running after production traffic has shifted (blue-green, canary, linear). */
	bakeTimeMinutes: inRange(ranges.bakeTimeMinutes).optional(),
	canary: z
		.strictObject({
			/** Percent of production traffic the canary gets first (0.1–100, multiples of 0.1; ECS's default 5). */
			percent: decimalNumber(percentRanges.canaryPercent).optional(),
			/** Minutes before the rest of the traffic shifts (0–1440; ECS's default 10). */
			bakeTimeMinutes: inRange(ranges.bakeTimeMinutes).optional(),
		})
		.optional(),
	linear: z
		.strictObject({
			/** Percent of production traffic each step shifts (3–100, multiples of 0.1; ECS's default 10). */
			stepPercent: decimalNumber(percentRanges.linearStepPercent).optional(),
			/** Minutes between steps (0–1440; ECS's default 6). */
			stepBakeTimeMinutes: inRange(ranges.bakeTimeMinutes).optional(),
		})
		.optional(),
	/** The IAM role ECS uses to change the load balancer's listener rules (blue-green, canary, linear). */
	infrastructureRole: roleArn.optional(),
	/** Stop at a lifecycle stage until someone approves (`ecs-deployer approve`) or rejects: a PAUSE hook. */
	approval: z
		.strictObject({
			stage: z.enum(lifecycleStages).default('POST_TEST_TRAFFIC_SHIFT'),
			/** Minutes to wait for an answer (1–1440, default 60). */
			timeoutMinutes: inRange(ranges.hookTimeoutMinutes).default(60),
			/** What ECS does when nobody answered in time: roll back (the default) or go on. */
			onTimeout: z.enum(['rollback', 'continue']).default('rollback'),
		})
		.optional(),
};

/** What an environment may override of `service.deployment`: each field replaces the service's as a whole. */
export const deploymentOverrideSchema = z.strictObject({
	...strategyFields,
	minimumHealthyPercent: inRange(ranges.minimumHealthyPercent).optional(),
	maximumPercent: inRange(ranges.maximumPercent).optional(),
});

export const serviceSchema = z.strictObject({
	/** Default `#{Project}-#{Environment}` (filled in before substitution, see `serviceDefaults`). */
	stackName: z.string(),
	/** Absent = CloudFormation names the service, so changes that replace it never clash on the name. */
	serviceName: z.string().regex(resourceNamePattern).optional(),
	/** Default `#{Project}-#{Environment}` (filled in before substitution). */
	family: z.string(),
	taskRole: roleArn.optional(),
	/** Absent = the stack creates a role with AmazonECSTaskExecutionRolePolicy. */
	executionRole: roleArn.optional(),
	/**
	 * The managed policy (ARN) that bounds the roles the stack creates; checked in rules.ts. Absent = they are
	 * created without one, and `iam-policy` will not grant creating roles (see docs/iam-policy.md).
	 */
	permissionsBoundary: z.string().trim().min(1).optional(),
	cpu: inRange(ranges.taskCpu),
	memory: inRange(ranges.taskMemory),
	/** Absent: X86_64 (or what `runtimePlatform` says). */
	cpuArchitecture: z.enum(cpuArchitectures).optional(),
	/** ECS's own form of the CPU architecture (`cpuArchitecture` is the short one; give one of them). The operating system is Linux. */
	runtimePlatform: z
		.strictObject({
			cpuArchitecture: z.enum(cpuArchitectures).optional(),
			operatingSystemFamily: z.literal('LINUX').optional(),
		})
		.optional(),
	/** GiB of ephemeral storage for the task (21–200; absent: Fargate's 20 GiB). */
	ephemeralStorage: inRange(ranges.ephemeralStorage).optional(),
	/** The Fargate platform version: `LATEST` (absent) or a version such as `1.4.0`. */
	platformVersion: z.string().trim().regex(platformVersionPattern).optional(),
	/** Absent: launch type FARGATE. With a strategy, tasks are placed on FARGATE and FARGATE_SPOT by base and weight. */
	capacityProviderStrategy: list(
		z.strictObject({
			capacityProvider: z.enum(['FARGATE', 'FARGATE_SPOT']),
			base: inRange(ranges.capacityBase).optional(),
			weight: inRange(ranges.capacityWeight).optional(),
		}),
	)
		.min(1)
		.max(maxCapacityProviders)
		.optional(),
	/**
	 * Application Auto Scaling of the task count between `min` and `max`: target tracking on CPU, memory or
	 * ALB requests per target, and scheduled changes of min/max. With it, deploys leave the count to the
	 * scaler (the template has no DesiredCount).
	 */
	autoScaling: z
		.strictObject({
			min: inRange(ranges.desiredCount),
			max: inRange(ranges.desiredCount),
			/** Keep the service's average CPU at this percent. */
			targetCpu: inRange(ranges.targetUtilization).optional(),
			/** Keep the service's average memory at this percent. */
			targetMemory: inRange(ranges.targetUtilization).optional(),
			/** Keep this many ALB requests per task (per minute). */
			requestsPerTarget: inRange(ranges.requestsPerTarget).optional(),
			/** The ALB in front of the target group, for requestsPerTarget (absent: read from productionListenerRule). */
			loadBalancer: z.string().regex(loadBalancerArnPattern).optional(),
			scaleInCooldown: inRange(ranges.cooldownSeconds).optional(),
			scaleOutCooldown: inRange(ranges.cooldownSeconds).optional(),
			/** Scheduled changes of min and max (office hours, nights). */
			schedule: list(
				z.strictObject({
					name: z.string().regex(/^[A-Za-z0-9_.-]{1,256}$/),
					/** `cron(0 8 ? * MON-FRI *)`, `rate(1 day)` or `at(2027-01-01T00:00:00)`. */
					cron: z.string().trim().regex(schedulePattern),
					min: inRange(ranges.desiredCount).optional(),
					max: inRange(ranges.desiredCount).optional(),
					/** An IANA time zone (`Europe/Berlin`); absent: UTC. */
					timezone: z.string().trim().min(1).optional(),
				}),
			).default([]),
		})
		.optional(),
	/**
	 * ECS Exec (`aws ecs execute-command`) into the service's containers. Absent: not set in the template (a
	 * new service has it off); write `false` to turn it off on a service that had it on.
	 */
	enableExecuteCommand: yesNo.optional(),
	/** Spread tasks evenly across Availability Zones again after a zone recovers; absent: the ECS default. */
	availabilityZoneRebalancing: yesNo.optional(),
	network: z.strictObject({
		subnets: list(z.string().regex(subnetIdPattern)).min(1).max(maxSubnets),
		securityGroups: list(z.string().regex(securityGroupIdPattern)).max(maxSecurityGroups).default([]),
		assignPublicIp: yesNo.default(false),
	}),
	desiredCount: inRange(ranges.desiredCount).default(1),
	deployment: z
		.strictObject({
			minimumHealthyPercent: inRange(ranges.minimumHealthyPercent).default(100),
			maximumPercent: inRange(ranges.maximumPercent).default(200),
			circuitBreaker: z
				.strictObject({enabled: yesNo.default(true), rollback: yesNo.default(true)})
				.default({enabled: true, rollback: true}),
			healthCheckGracePeriodSeconds: inRange(ranges.gracePeriodSeconds).optional(),
			...strategyFields,
			/** CloudWatch alarms that fail a deployment when they go into ALARM (deployment alarms). */
			alarms: z
				.strictObject({
					names: list(z.string().trim().min(1).max(255)).min(1),
					enabled: yesNo.default(true),
					rollback: yesNo.default(true),
				})
				.optional(),
		})
		.default({minimumHealthyPercent: 100, maximumPercent: 200, circuitBreaker: {enabled: true, rollback: true}}),
	managedTags: yesNo.default(true),
	propagateTags: z.enum(['SERVICE', 'TASK_DEFINITION', 'NONE']).default('SERVICE'),
	tags: list(tagSchema).default([]),
	/** Tags of the ECS service only (and, with propagateTags SERVICE, of its tasks), after `tags`. */
	serviceTags: list(tagSchema).default([]),
	wait: waitOption.default({mode: 'complete'}),
	loadBalancers: list(
		z.strictObject({
			container: z.string().min(1),
			port,
			targetGroupArn: z.string().regex(targetGroupArnPattern),
			/** The second target group the new revision registers in (blue-green, canary, linear). */
			alternateTargetGroupArn: z.string().regex(targetGroupArnPattern).optional(),
			/** The listener rule (ALB) or listener (NLB) that carries production traffic. */
			productionListenerRule: z.string().regex(listenerRuleArnPattern).optional(),
			/** The listener rule or listener that carries test traffic to the new revision before production. */
			testListenerRule: z.string().regex(listenerRuleArnPattern).optional(),
		}),
	).default([]),
	volumes: list(volume).default([]),
	containers: list(containerSchema).min(1).max(maxContainers),
	/**
	 * Tasks that run before the service changes (database migrations): each runs the NEW release's task
	 * definition with its command, in the service's network, and must exit 0, or the deploy stops with the
	 * service untouched. Checked further in before-deploy-rules.ts.
	 */
	beforeDeploy: list(
		z.strictObject({
			name: z.string().regex(beforeDeployNamePattern),
			/** The container whose command is replaced and whose exit code counts. */
			container: z.string().min(1),
			command: list(z.string()).min(1).max(beforeDeployCommandLimits.words),
			timeoutMinutes: inRange(ranges.beforeDeployTimeoutMinutes).default(15),
		}),
	)
		.max(maxBeforeDeployTasks)
		.default([]),
});

export type ServiceSpec = z.output<typeof serviceSchema>;
export type ContainerSpec = ServiceSpec['containers'][number];
export type VolumeSpec = ServiceSpec['volumes'][number];
export type LoggingSpec = ContainerSpec['logging'];
export type WaitOption = ServiceSpec['wait'];
export type BeforeDeploySpec = ServiceSpec['beforeDeploy'][number];
