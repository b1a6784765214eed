import type {DescribeChangeSetCommandOutput, Stack} from '../../aws/ports.js';
import {classifyAwsError, describeAwsError} from '../../domain/aws-errors.js';
import {describeChange, downgradeWarning, imageChangeText, referencesTo, resolveResources, type ChangeDetail, type TemplateShape} from '../../domain/change-diff.js';
import type {BuiltTemplate} from '../../domain/template/types.js';
import {AwsAccessError, callAws} from '../core/aws-call.js';
import {nextInterval} from '../core/clock.js';
import type {ChangeView} from '../core/host.js';
import {Detached} from '../core/run-control.js';
import {runningNow} from '../monitor/running-now.js';
import type {StackContext} from '../core/stack-context.js';

/* Change sets: wait for one to be ready, read its changes (with their values), and remove one that will not run. */

/**
 * Waits until the change set is computed (CREATE_COMPLETE or FAILED); every wait honours detach and cancel.
 * Asks for the property values (IncludePropertyValues: BeforeContext, AfterContext and each detail's values;
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeChangeSet.html) and reads every
 * page of changes (DescribeChangeSet pages them with NextToken).
 */
export async function waitForChangeSet(context: StackContext, id: string, stackName: string): Promise<DescribeChangeSetCommandOutput> {
	const describe = (NextToken?: string) =>
		callAws(context, 'DescribeChangeSet', () => context.aws.cloudFormation.describeChangeSet({ChangeSetName: id, StackName: stackName, IncludePropertyValues: true, ...(NextToken === undefined ? {} : {NextToken})}));
	for (let quiet = 1; ; quiet++) {
		const out = await describe();
		if (out.Status === 'CREATE_COMPLETE') {
			const changes = [...(out.Changes ?? [])];
			for (let token = out.NextToken; token; ) {
				const page = await describe(token);
				changes.push(...(page.Changes ?? []));
				token = page.NextToken;
			}
			return {...out, Changes: changes};
		}
		if (out.Status === 'FAILED') return out;
		// A cancel stops waiting: the caller discards the change set.
		if (context.control.cancelRequested) return out;
		await context.control.pause(context.clock, nextInterval({...context.polling, idleMs: context.polling.activeMs}, quiet));
	}
}

/** Deletes a change set that will not run; a stack that only existed for it (REVIEW_IN_PROGRESS) goes too. */
export async function discardChangeSet(context: StackContext, changeSetId: string, kind: 'create' | 'update', stackId: string): Promise<void> {
	const {cloudFormation} = context.aws;
	try {
		await callAws(context, 'DeleteChangeSet', () => cloudFormation.deleteChangeSet({ChangeSetName: changeSetId, StackName: stackId}));
	} catch (error) {
		// Gone already: another operator's execution deleted the stack's other change sets.
		if (classifyAwsError(error) !== 'not-found') throw error;
	}
	if (kind !== 'create') return;
	// Only a stack that still exists for review alone goes: another operator may have created it meanwhile.
	const stack = (await callAws(context, 'DescribeStacks', () => cloudFormation.describeStacks({StackName: stackId}))).Stacks?.[0];
	if (stack?.StackStatus === 'REVIEW_IN_PROGRESS') await callAws(context, 'DeleteStack', () => cloudFormation.deleteStack({StackName: stackId, ClientRequestToken: context.newId()}));
}

/** The parameters a change set is created with: each parameter's default, then the sensitive values given at deploy time. */
export function changeSetParameters(built: BuiltTemplate, secretValues: Readonly<Record<string, string>> = {}): Array<{ParameterKey: string; ParameterValue: string}> {
	return [
		...Object.entries(built.template.Parameters)
			.filter(([, p]) => p.Default !== undefined)
			.map(([key, p]) => ({ParameterKey: key, ParameterValue: p.Default!})),
		...built.secretParameters.map(({parameter}) => ({ParameterKey: parameter, ParameterValue: secretValues[parameter] ?? ''})),
	];
}

/** The changes without their values, as the change set lists them. */
export function changeViews(changeSet: DescribeChangeSetCommandOutput): ChangeView[] {
	return (changeSet.Changes ?? []).flatMap(change => {
		const r = change.ResourceChange;
		if (!r) return [];
		return [
			{
				action: r.Action ?? '',
				logicalId: r.LogicalResourceId ?? '',
				resourceType: r.ResourceType ?? '',
				...(r.Replacement ? {replacement: r.Replacement} : {}),
				scope: r.Scope ?? [],
			},
		];
	});
}

/** What the preview needs besides the change set: the template, the stack as it is, the values given. */
export type ChangeInputs = {
	built: BuiltTemplate;
	kind: 'create' | 'update';
	stack: Stack | undefined;
	/** The sensitive values given at deploy time, by parameter: masked wherever they would show. */
	secretValues?: Readonly<Record<string, string>>;
};

/**
 * The changes with what each does, property by property: from the change set's values when it has them,
 * else from the stack's current template (GetTemplate) against the new one, each with its parameter values
 * (an endpoint without IncludePropertyValues, such as an emulator). The image digests come from the release
 * (after) and from the running tasks (before). Warns when the release is older than the one running.
 */
export async function describeChanges(context: StackContext, changeSet: DescribeChangeSetCommandOutput, inputs: ChangeInputs): Promise<{changes: ChangeView[]; warnings: string[]}> {
	const {built, kind, stack} = inputs;
	const warnings: string[] = [];
	const secrets = Object.values(inputs.secretValues ?? {});
	const views = changeViews(changeSet);
	const resourceChanges = (changeSet.Changes ?? []).flatMap(c => (c.ResourceChange ? [c.ResourceChange] : []));
	const needsTemplate = resourceChanges.some(r => (r.Action === 'Modify' && (r.BeforeContext === undefined || r.AfterContext === undefined)) || (r.Action === 'Remove' && r.BeforeContext === undefined));
	const next = resolveResources(built.template as TemplateShape, Object.fromEntries(changeSetParameters(built).map(p => [p.ParameterKey, p.ParameterValue])));
	let current: ReturnType<typeof resolveResources> | undefined;
	if (kind === 'update' && stack && needsTemplate) current = await currentResources(context, stack, warnings);

	const running = kind === 'update' && stack ? await whatRuns(context, stack) : undefined;
	const changes = views.map((view, i): ChangeView => {
		const r = resourceChanges[i]!;
		const before = contextProperties(r.BeforeContext) ?? (view.action === 'Add' ? undefined : current?.[view.logicalId]?.properties);
		const after = contextProperties(r.AfterContext) ?? (view.action === 'Remove' ? undefined : next[view.logicalId]?.properties);
		const fromChangeSet = r.BeforeContext !== undefined || r.AfterContext !== undefined || (r.Details ?? []).some(d => d.Target?.BeforeValue !== undefined || d.Target?.AfterValue !== undefined);
		const detail = describeChange(
			{
				resourceType: view.resourceType,
				action: view.action,
				...(view.replacement ? {replacement: view.replacement} : {}),
				...(before ? {before} : {}),
				...(after ? {after} : {}),
				...(r.Details ? {details: r.Details} : {}),
				source: fromChangeSet || current === undefined ? 'change-set' : 'template',
			},
			{secrets},
		);
		return {...view, detail: withDigests(detail, context, running?.digests ?? {})};
	});
	// A template diff does not see what refers to a replaced resource (the service to its task definition).
	const replaced = new Set(changes.filter(c => c.action === 'Modify' && (c.replacement === 'True' || (c.replacement === undefined && c.detail?.replacementCause))).map(c => c.logicalId));
	for (const change of changes) {
		if (change.action !== 'Modify' || change.detail?.source !== 'template' || !change.detail) continue;
		const shown = new Set(change.detail.properties.map(p => p.path));
		for (const ref of referencesTo(next[change.logicalId]?.properties, replaced)) {
			if (!shown.has(ref.path)) change.detail.properties.unshift({path: ref.path, before: `${ref.id} (current)`, after: '(known after apply)'});
		}
	}
	const downgrade = downgradeWarning(running?.version, context.resolved.releaseVersion, context.resolved.environment);
	if (downgrade) warnings.unshift(downgrade);
	return {changes, warnings};
}

/** The properties of a change set's BeforeContext/AfterContext (`{"Properties": {…}}`), or undefined. */
function contextProperties(context: string | undefined): Record<string, unknown> | undefined {
	if (context === undefined) return undefined;
	try {
		const parsed = JSON.parse(context) as {Properties?: unknown};
		return parsed && typeof parsed.Properties === 'object' && parsed.Properties !== null ? (parsed.Properties as Record<string, unknown>) : {};
	} catch {
		return undefined;
	}
}

/** The stack's template as it runs, with the stack's parameter values (NoEcho ones are `****`); a note when it cannot be read. */
async function currentResources(context: StackContext, stack: Stack, warnings: string[]): Promise<ReturnType<typeof resolveResources> | undefined> {
	try {
		const out = await callAws(context, 'GetTemplate', () => context.aws.cloudFormation.getTemplate({StackName: stack.StackId ?? stack.StackName ?? '', TemplateStage: 'Original'}));
		const template = JSON.parse(out.TemplateBody ?? '{}') as TemplateShape;
		const values = Object.fromEntries((stack.Parameters ?? []).flatMap(p => (p.ParameterKey && p.ParameterValue !== undefined ? [[p.ParameterKey, p.ParameterValue]] : [])));
		return resolveResources(template, values);
	} catch (error) {
		if (error instanceof Detached || error instanceof AwsAccessError) throw error;
		warnings.push(`the stack's current template could not be read (${error instanceof SyntaxError ? 'not JSON' : describeAwsError(error)}): the preview names the changes without their values`);
		return undefined;
	}
}

/** The release that runs now and its images' digests by container, or undefined when it cannot be read (a note). */
async function whatRuns(context: StackContext, stack: Stack): Promise<{version?: string; digests: Record<string, string>} | undefined> {
	try {
		const now = await runningNow(context, stack, context.cluster, {images: context.resolved.images}, [], {digests: true});
		const digests: Record<string, string> = {};
		for (const container of context.resolved.service.containers) {
			const digest = now.images[container.image]?.digest;
			if (digest) digests[container.name] = digest;
		}
		return {...(now.version ? {version: now.version} : {}), digests};
	} catch (error) {
		if (error instanceof Detached || error instanceof AwsAccessError) throw error;
		context.host.notify({code: 'note', message: `what runs now could not be read (${describeAwsError(error)}): no downgrade check`});
		return undefined;
	}
}

/** Adds the digests: before from the running tasks, after from the release (pinned when it was made). */
function withDigests(detail: ChangeDetail, context: StackContext, running: Record<string, string>): ChangeDetail {
	if (detail.images.length === 0) return detail;
	const refOf = new Map(context.resolved.service.containers.map(c => [c.name, c.image]));
	const images = detail.images.map(change => {
		const pinned = context.resolved.images[refOf.get(change.container) ?? '']?.digest;
		const before = change.before && !change.before.digest && running[change.container] ? {...change.before, digest: running[change.container]!} : change.before;
		const after = change.after && !change.after.digest && pinned ? {...change.after, digest: pinned} : change.after;
		return {container: change.container, ...(before ? {before} : {}), ...(after ? {after} : {})};
	});
	return {...detail, images};
}

/**
 * The change set as lines for a question or a preview: one line per resource (`Modify TaskDefinition
 * (AWS::ECS::TaskDefinition) [replaced] [iam]`), then what changes in it: images first, then each property
 * `path: before → after` (sensitive values masked), and why it is replaced.
 */
export function changeLines(changes: readonly ChangeView[]): string[] {
	const lines: string[] = [];
	for (const c of changes) {
		// Without the change set's word (an endpoint that leaves it out), the template diff's.
		const replacement = c.replacement ?? (c.detail?.replacementCause ? 'True' : undefined);
		const replaced = replacement === 'True' ? ' [replaced]' : replacement === 'Conditional' ? ' [may be replaced]' : '';
		const marks = (c.detail?.marks ?? []).map(m => ` [${m === 'iam' ? 'IAM' : 'network'}]`).join('');
		lines.push(`${c.action.padEnd(7)} ${c.logicalId} (${c.resourceType})${replaced}${marks}`);
		if (!c.detail) continue;
		for (const image of c.detail.images) lines.push(`    image ${imageChangeText(image)}`);
		const imagePaths = new Set(c.detail.images.length > 0 ? c.detail.properties.filter(p => p.kind === 'image').map(p => p.path) : []);
		// A resource added or removed is listed with its size only (its every property would hide the changes).
		const whole = c.action === 'Add' || c.action === 'Remove';
		for (const p of c.detail.properties) {
			if (imagePaths.has(p.path) || (whole && p.kind !== 'size')) continue;
			const sign = p.before === undefined && p.after !== undefined ? '+' : p.after === undefined && p.before !== undefined ? '-' : '~';
			const values = p.before === undefined && p.after === undefined ? '(value resolved by CloudFormation)' : p.before === undefined ? p.after! : p.after === undefined ? p.before : `${p.before} → ${p.after}`;
			lines.push(`    ${sign} ${p.path}: ${values}${p.masked ? ' (sensitive)' : ''}`);
		}
		if (c.action === 'Modify' && c.detail.properties.length === 0) lines.push('    (no property value differs: a sensitive or resolved value changes)');
		if (c.detail.replacementCause) lines.push(`    replaced: ${c.detail.replacementCause}`);
	}
	return lines;
}
