import type {AwsPorts, Stack} from '../../aws/ports.js';
import type {RecipeDocument} from '../../domain/recipe/schema.js';
import {runningImages, sameImages, type RunningImage} from '../../domain/running-images.js';
import {judgeServing, revisionOf, type ServiceFacts, type ServingVerdict} from '../../domain/serving.js';
import {toolTagKeys} from '../../domain/template/tags.js';
import {imageTagParameter} from '../../domain/template/names.js';
import type {Release} from '../../domain/records.js';
import {callAws, type CallContext} from '../core/aws-call.js';
import {stackTag} from '../releases/release-lookup.js';
import {serviceFacts} from './service-watch.js';
import {stackEcsResources} from './stack-resources.js';

/** What an environment runs now, read from AWS, with what the stack says beside it. */
export type RunningNow = {
	/** ECS's judgement of the task definition the stack holds (see serving.ts). */
	verdict: ServingVerdict;
	service?: ServiceFacts;
	/** The task definition the service's PRIMARY deployment runs. */
	taskDefinition?: string;
	/** Its images, by image ref (tag as the task definition names it; digest from the running tasks when asked). */
	images: Record<string, RunningImage>;
	/** The release those images are: the task definition's release tag, else the one release whose images match. */
	version?: string;
	/** What the stack says it has: its release tag and its image tag parameters. */
	stack: {version?: string; images: Record<string, string>};
	/**
	 * When the stack holds another task definition than the one the service runs: that one, its images and
	 * release (what the last change applied; what a rollback moves away from).
	 */
	held?: {taskDefinition: string; images: Record<string, RunningImage>; version?: string};
	/** What the stack says and what runs disagree, in one sentence (shown, never hidden). */
	disagreement?: string;
};

/**
 * Reads what runs now: the stack's service (from its resources), ECS's PRIMARY deployment, that
 * deployment's task definition (DescribeTaskDefinition, with tags) and, with `digests`, the image digests of
 * its running tasks. Records and stack tags are compared with it, never trusted over it.
 */
export async function runningNow(
	context: CallContext & {aws: AwsPorts},
	stack: Stack,
	cluster: string,
	recipe: Pick<RecipeDocument, 'images'>,
	releases: readonly Pick<Release, 'version' | 'images'>[],
	options: {digests?: boolean} = {},
): Promise<RunningNow> {
	const {aws} = context;
	const said = stackSays(stack, recipe);
	const resources = await stackEcsResources(context, stack.StackId ?? stack.StackName ?? '');
	if (!resources.service) {
		return {verdict: {kind: 'unconfirmed', confirmed: [], unconfirmed: ['the stack holds no ECS service']}, images: {}, stack: said};
	}
	const described = await callAws(context, 'DescribeServices', () => aws.ecs.describeServices({cluster, services: [resources.service!]}));
	const raw = described.services?.[0];
	if (!raw) {
		const missing = `ECS does not know the service ${resources.service} in cluster ${cluster}${described.failures?.[0]?.reason ? ` (${described.failures[0].reason})` : ''}`;
		return {verdict: {kind: 'unconfirmed', confirmed: [], unconfirmed: [missing]}, images: {}, stack: said};
	}
	const service = serviceFacts(raw);
	const verdict = judgeServing({taskDefinition: resources.taskDefinition, service});
	const taskDefinition = service.deployments.find(d => d.status === 'PRIMARY')?.taskDefinition ?? raw.taskDefinition;
	const now: RunningNow = {verdict, service, images: {}, stack: said, ...(taskDefinition ? {taskDefinition} : {})};
	if (!taskDefinition) return now;
	const definition = await callAws(context, 'DescribeTaskDefinition', () => aws.ecs.describeTaskDefinition({taskDefinition, include: ['TAGS']}));
	now.images = runningImages(definition.taskDefinition?.containerDefinitions ?? [], recipe.images);
	if (options.digests) await addDigests(context, cluster, resources.service, taskDefinition, now.images);
	const version = releaseOf(definition, now.images, releases, said.version);
	if (version) now.version = version;
	if (resources.taskDefinition && resources.taskDefinition !== taskDefinition) {
		const heldDefinition = await callAws(context, 'DescribeTaskDefinition', () => aws.ecs.describeTaskDefinition({taskDefinition: resources.taskDefinition!, include: ['TAGS']}));
		let images = runningImages(heldDefinition.taskDefinition?.containerDefinitions ?? [], recipe.images);
		// A task definition that does not say its images (some endpoints): the stack's image parameters do.
		if (Object.keys(images).length === 0) images = Object.fromEntries(Object.entries(said.images).map(([ref, tag]) => [ref, {tag, image: tag}]));
		const heldVersion = releaseOf(heldDefinition, images, releases, said.version);
		now.held = {taskDefinition: resources.taskDefinition, images, ...(heldVersion ? {version: heldVersion} : {})};
	}
	const disagreement = disagreementOf(now, resources.taskDefinition);
	if (disagreement) now.disagreement = disagreement;
	return now;
}

/** The release of a task definition: its release tag, else the one release whose images it runs. */
function releaseOf(definition: {tags?: Array<{key?: string; value?: string}>}, images: Record<string, RunningImage>, releases: readonly Pick<Release, 'version' | 'images'>[], said: string | undefined): string | undefined {
	const tagged = definition.tags?.find(t => t.key === toolTagKeys.release)?.value;
	if (tagged) return tagged;
	const matching = releases.filter(r => sameImages(r.images, images));
	return matching.length === 1 ? matching[0]!.version : matching.find(r => r.version === said)?.version;
}

/** What the stack says it has: the release tag, and the image tag parameters by image ref. */
function stackSays(stack: Stack, recipe: Pick<RecipeDocument, 'images'>): RunningNow['stack'] {
	const parameters = new Map((stack.Parameters ?? []).map(p => [p.ParameterKey ?? '', p.ParameterValue ?? '']));
	const images: Record<string, string> = {};
	for (const ref of Object.keys(recipe.images)) {
		const value = parameters.get(imageTagParameter(ref));
		if (value !== undefined) images[ref] = value;
	}
	const version = stackTag(stack, toolTagKeys.release);
	return {images, ...(version ? {version} : {})};
}

/** The image digests the service's running tasks of `taskDefinition` report, added to `images`. */
async function addDigests(context: CallContext & {aws: AwsPorts}, cluster: string, service: string, taskDefinition: string, images: Record<string, RunningImage>): Promise<void> {
	const listed = await callAws(context, 'ListTasks', () => context.aws.ecs.listTasks({cluster, serviceName: service, desiredStatus: 'RUNNING'}));
	const arns = (listed.taskArns ?? []).slice(0, 100);
	if (arns.length === 0) return;
	const described = await callAws(context, 'DescribeTasks', () => context.aws.ecs.describeTasks({cluster, tasks: arns}));
	for (const task of described.tasks ?? []) {
		if (task.taskDefinitionArn !== taskDefinition) continue;
		for (const container of task.containers ?? []) {
			const entry = Object.values(images).find(i => i.image === container.image);
			if (entry && container.imageDigest && entry.digest === undefined) entry.digest = container.imageDigest;
		}
	}
}

function disagreementOf(now: RunningNow, stackTaskDefinition: string | undefined): string | undefined {
	const parts: string[] = [];
	const runs = Object.entries(now.images).map(([ref, i]) => `${ref}=${i.tag ?? i.digest ?? '?'}`).join(', ');
	const says = Object.entries(now.stack.images).map(([ref, tag]) => `${ref}=${tag}`).join(', ');
	if (stackTaskDefinition && now.taskDefinition && stackTaskDefinition !== now.taskDefinition) {
		parts.push(`the stack holds ${revisionOf(stackTaskDefinition)}, the service runs ${revisionOf(now.taskDefinition)}`);
	}
	if (says && runs && Object.entries(now.stack.images).some(([ref, tag]) => now.images[ref]?.tag !== undefined && now.images[ref]?.tag !== tag)) {
		parts.push(`the stack's parameters say ${says}, the service runs ${runs}`);
	}
	if (now.stack.version && now.version && now.stack.version !== now.version) parts.push(`the stack is tagged release ${now.stack.version}, the service runs release ${now.version}`);
	return parts.length > 0 ? parts.join('; ') : undefined;
}
