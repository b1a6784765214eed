import semver from 'semver';
import type {AwsPorts, Stack, StackEvent} from '../../aws/ports.js';
import {classifyAwsError} from '../../domain/aws-errors.js';
import {resolveRecipe} from '../../domain/recipe/resolve.js';
import type {RecipeDocument} from '../../domain/recipe/schema.js';
import {toolTagKeys} from '../../domain/template/tags.js';
import {callAws, type CallContext} from '../../engine/aws-call.js';
import {exitCodes, type ExitCode} from '../../exit-codes.js';
import type {WorkspaceStore} from '../../store/workspace-store.js';
import type {Release} from '../../store/types.js';
import type {Output} from '../output.js';
import {awsFailure, commandContext} from './release.js';

/** The stack name of an environment, as a deploy would resolve it. */
export function stackNameFor(recipe: RecipeDocument, environment: string, cluster: string, region: string): string {
	const {resolved} = resolveRecipe({recipe, environment, target: {cluster, region}});
	const raw = recipe.service['stackName'];
	return resolved?.service.stackName ?? (typeof raw === 'string' && !raw.includes('#{') ? raw : `${recipe.name}-${environment}`);
}

async function readStack(aws: AwsPorts, context: CallContext, name: string): Promise<Stack | undefined> {
	try {
		return (await callAws(context, 'DescribeStacks', () => aws.cloudFormation.describeStacks({StackName: name}))).Stacks?.[0];
	} catch (error) {
		if (classifyAwsError(error) === 'not-found') return undefined;
		throw error;
	}
}

const tag = (stack: Stack | undefined, key: string) => stack?.Tags?.find(t => t.Key === key)?.Value;
const output = (stack: Stack | undefined, key: string) => stack?.Outputs?.find(o => o.OutputKey === key)?.OutputValue;

export type EnvironmentStatus = {
	environment: string;
	stackName: string;
	stackStatus?: string;
	release?: string;
	rollout?: string;
	running?: number;
	desired?: number;
	lastDeployment?: {version: string; outcome: string; finishedAt?: string};
};

/** `ecs-deployer status`: per environment, the stack, the release it runs, the rollout and the tasks. */
export async function statusCommand(recipe: RecipeDocument, environments: string[], target: {cluster: string; region: string}, aws: AwsPorts, store: WorkspaceStore, out: Output, json: boolean): Promise<ExitCode> {
	const context = commandContext(out);
	const rows: EnvironmentStatus[] = [];
	try {
		for (const environment of environments) {
			const stackName = stackNameFor(recipe, environment, target.cluster, target.region);
			const stack = await readStack(aws, context, stackName);
			const row: EnvironmentStatus = {environment, stackName, ...(stack?.StackStatus ? {stackStatus: stack.StackStatus} : {})};
			const release = tag(stack, toolTagKeys.release);
			if (release) row.release = release;
			const serviceArn = output(stack, 'ServiceArn');
			if (serviceArn) {
				const service = (await callAws(context, 'DescribeServices', () => aws.ecs.describeServices({cluster: target.cluster, services: [serviceArn]}))).services?.[0];
				const primary = service?.deployments?.find(d => d.status === 'PRIMARY');
				if (primary?.rolloutState) row.rollout = primary.rolloutState;
				if (service) Object.assign(row, {running: service.runningCount ?? 0, desired: service.desiredCount ?? 0});
			}
			const last = store.deployments(recipe.name).filter(d => d.environment === environment).at(-1);
			if (last) row.lastDeployment = {version: last.version, outcome: last.outcome, ...(last.finishedAt ? {finishedAt: last.finishedAt} : {})};
			rows.push(row);
		}
	} catch (error) {
		return awsFailure(out, error);
	}
	if (json) out.json(rows);
	else
		for (const r of rows) {
			const tasks = r.desired === undefined ? '' : `  tasks ${r.running}/${r.desired}`;
			const last = r.lastDeployment ? `  last deploy: ${r.lastDeployment.version} ${r.lastDeployment.outcome}` : '';
			out.line(`${r.environment.padEnd(12)} ${(r.stackStatus ?? 'not deployed').padEnd(26)} ${r.release ? `release ${r.release}` : ''}${r.rollout ? `  rollout ${r.rollout}` : ''}${tasks}${last}`);
		}
	return exitCodes.success;
}

/** `ecs-deployer events`: stack events, newest operation first, each operation's events in order. */
export async function eventsCommand(stackName: string, options: {limit: number; operation?: string; json: boolean}, aws: AwsPorts, out: Output): Promise<ExitCode> {
	const context = commandContext(out);
	const events: StackEvent[] = [];
	try {
		let nextToken: string | undefined;
		do {
			const page = await callAws(context, 'DescribeStackEvents', () => aws.cloudFormation.describeStackEvents({StackName: stackName, ...(nextToken ? {NextToken: nextToken} : {})}));
			events.push(...(page.StackEvents ?? []));
			nextToken = page.NextToken;
		} while (nextToken && events.length < options.limit);
	} catch (error) {
		if (classifyAwsError(error) === 'not-found') {
			out.note(`error: there is no stack ${stackName}`);
			return exitCodes.badInput;
		}
		return awsFailure(out, error);
	}
	// Group by operation: the operation id where the API gives one, else the client request token.
	const groups = new Map<string, StackEvent[]>();
	for (const event of events.slice(0, options.limit)) {
		const key = event.OperationId ?? event.ClientRequestToken ?? 'unknown';
		groups.set(key, [...(groups.get(key) ?? []), event]);
	}
	const selected = [...groups].filter(([key]) => options.operation === undefined || key === options.operation);
	if (options.json) {
		out.json(selected.map(([operation, list]) => ({operation, events: [...list].reverse()})));
		return exitCodes.success;
	}
	for (const [operation, list] of selected) {
		out.line(out.paint.bold(`operation ${operation}`));
		for (const e of [...list].reverse()) {
			const time = e.Timestamp ? new Date(e.Timestamp).toISOString().slice(0, 19).replace('T', ' ') : '';
			out.line(`  ${time}  ${(e.LogicalResourceId ?? '').padEnd(20)} ${(e.ResourceStatus ?? '').padEnd(30)} ${e.ResourceStatusReason ?? ''}`);
		}
	}
	return exitCodes.success;
}

export type ReleaseRow = Release & {deployedTo: Array<{environment: string; status?: string; source: 'aws' | 'store'}>; outcomes: Array<{environment: string; outcome: string; at: string}>};

/** `ecs-deployer releases`: releases from the store and from AWS stack tags, with where each is deployed. */
export async function releasesCommand(recipe: RecipeDocument, target: {cluster: string; region: string}, aws: AwsPorts, store: WorkspaceStore, out: Output, json: boolean): Promise<ExitCode> {
	const context = commandContext(out);
	const rows = new Map<string, ReleaseRow>();
	for (const release of store.releases(recipe.name)) rows.set(release.version, {...release, deployedTo: [], outcomes: []});
	try {
		for (const {name: environment} of recipe.environments) {
			const stack = await readStack(aws, context, stackNameFor(recipe, environment, target.cluster, target.region));
			const version = tag(stack, toolTagKeys.release);
			if (!stack || !version) continue;
			let row = rows.get(version);
			if (!row) {
				// Made on another machine: what AWS knows of it.
				const images = Object.fromEntries(
					(stack.Tags ?? [])
						.filter(t => t.Key?.startsWith(toolTagKeys.image))
						.map(t => {
							const [imageTag, digest] = (t.Value ?? '').split('@');
							return [t.Key!.slice(toolTagKeys.image.length), {tag: imageTag!, ...(digest ? {digest} : {})}];
						}),
				);
				row = {project: recipe.name, version, images, createdAt: '', deployedTo: [], outcomes: []};
				rows.set(version, row);
			}
			row.deployedTo.push({environment, ...(stack.StackStatus ? {status: stack.StackStatus} : {}), source: 'aws'});
		}
	} catch (error) {
		return awsFailure(out, error);
	}
	for (const d of store.deployments(recipe.name)) rows.get(d.version)?.outcomes.push({environment: d.environment, outcome: d.outcome, at: d.finishedAt ?? d.startedAt});
	const list = [...rows.values()].sort((a, b) => (semver.valid(a.version) && semver.valid(b.version) ? semver.rcompare(a.version, b.version) : b.version.localeCompare(a.version)));
	if (json) {
		out.json(list.map(({recipe: _snapshot, ...rest}) => rest));
		return exitCodes.success;
	}
	if (list.length === 0) out.line(`no releases of ${recipe.name} yet: create one with ecs-deployer release create --recipe FILE`);
	for (const r of list) {
		const images = Object.entries(r.images).map(([ref, i]) => `${ref}=${i.tag}`).join(' ');
		const where = r.deployedTo.map(d => `${d.environment} (${d.status})`).join(', ');
		out.line(`${r.version.padEnd(14)} ${images.padEnd(30)} ${where ? `running in ${where}` : ''}`);
		for (const o of r.outcomes) out.line(`  ${o.at.slice(0, 16).replace('T', ' ')}  ${o.environment}: ${o.outcome}`);
	}
	return exitCodes.success;
}
