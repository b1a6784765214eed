import {z} from 'zod';
import {checkWith} from '../../io/state-file.js';

/*
 * The check of sandbox.json's content (state.ts), apart from the state's code: it needs zod, which loads only
 * when a file is to be checked (a new account has none; the same bytes are not checked twice).
 */

/*
 * What a state file must hold for no handler to trip over it: every list and record the handlers walk,
 * and in their entries the fields they read. Objects are loose, so fields this version does not know are
 * kept. Deeper fields are not checked (the file is ours; this catches truncation, hand edits and files
 * from other versions).
 */
const text = z.string();
const number = z.number();
const tagList = z.array(z.looseObject({Key: text, Value: text}));
const textRecord = z.record(z.string(), text);
/**
 * A stored template: JSON of an object, as CreateChangeSet took it (the handlers parse it again to play a
 * deployment; a body changed by hand or cut short would otherwise fail there as an unexpected error).
 */
const templateBody = text.refine(
	body => {
		try {
			const parsed: unknown = JSON.parse(body);
			return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed);
		} catch {
			return false;
		}
	},
	{message: 'not a template (the stored template body is not JSON of an object)'},
);
const stackSchema = z.looseObject({
	id: text,
	name: text,
	status: text,
	created: number,
	parameters: textRecord,
	tags: tagList,
	outputs: textRecord,
	events: z.array(z.looseObject({eventId: text, logicalId: text, status: text, timestamp: number})),
	body: templateBody.optional(),
	changeSets: z.array(z.looseObject({id: text, name: text, status: text, body: templateBody, parameters: textRecord, tags: tagList, created: number})),
	previous: z.looseObject({body: templateBody.optional(), parameters: textRecord, tags: tagList, outputs: textRecord}).optional(),
	taskDefinitionRevision: number,
	noEcho: z.looseObject({current: textRecord, previous: textRecord.optional(), changeSets: z.record(z.string(), textRecord)}).optional(),
});
const taskSchema = z.looseObject({
	arn: text,
	taskDefinitionArn: text,
	lastStatus: text,
	desiredStatus: text,
	containers: z.array(z.looseObject({name: text, image: text, lastStatus: text})),
	createdAt: number,
});
const serviceSchema = z.looseObject({
	arn: text,
	name: text,
	stackName: text,
	desiredCount: number,
	deployments: z.array(z.looseObject({id: text, status: text, taskDefinition: text, desiredCount: number, createdAt: number})),
	events: z.array(z.looseObject({id: text, createdAt: number, message: text})),
	tasks: z.array(taskSchema),
});
/*
 * Each kind of step with the data it is applied with (apply.ts): a pending step whose data is missing or
 * wrong is refused when the file is read. Applied, it would write a state this check refuses (a service
 * without its desired count), and the `.bak` it suggests would hold the same step, and loop.
 */
const containerModel = z.looseObject({name: text, image: text, tag: text, essential: z.boolean(), healthCheck: z.boolean()});
const step = <K extends string, D extends z.ZodType>(kind: K, data: D) => z.looseObject({at: number, stack: text, kind: z.literal(kind), data});
const stepSchema = z.discriminatedUnion('kind', [
	step('faults', z.looseObject({faults: z.array(text)})),
	step('stack-status', z.looseObject({status: text, token: text.optional(), reason: text.optional(), newOperation: z.boolean().optional()})),
	step('event', z.looseObject({logicalId: text, type: text, status: text, token: text.optional(), reason: text.optional(), physicalId: text.optional()})),
	step('register-task-definition', z.looseObject({family: text, revision: number, arn: text})),
	step('ecs-start', z.looseObject({taskDefinition: text, desired: number, containers: z.array(containerModel), stackName: text, maximumPercent: number})),
	step('tasks', z.looseObject({status: z.enum(['PENDING', 'ACTIVATING', 'RUNNING']), health: z.literal('HEALTHY').optional()})),
	step('task-fail', z.looseObject({behaviour: z.looseObject({kind: text}), failures: number, last: z.boolean(), logGroup: text.optional(), containers: z.array(containerModel)})),
	step('ecs-complete', z.looseObject({})),
	step('ecs-stage', z.looseObject({strategy: text, stage: text, production: number, test: z.boolean()})),
	step('ecs-pause', z.looseObject({hookId: text, stage: text, timeoutMs: number, action: z.enum(['CONTINUE', 'ROLLBACK']), rest: z.array(z.looseObject({at: number, stack: text, kind: text})), rollback: z.array(z.looseObject({at: number, stack: text, kind: text}))})),
	step('ecs-hook-timeout', z.looseObject({hookId: text})),
	step('service-scale', z.looseObject({desired: number.optional(), min: number.optional(), max: number.optional()})),
	step('one-off', z.looseObject({taskArn: text, status: z.enum(['PENDING', 'RUNNING', 'STOPPED'])})),
	step('ecs-rollback', z.looseObject({creating: z.boolean(), reason: z.enum(['circuit-breaker', 'cancel', 'hook']).optional()})),
	step('service-delete', z.looseObject({stackName: text})),
	step('commit', z.looseObject({taskDefinition: text, serviceArn: text, revision: number, logGroup: text.optional()})),
	step('revert', z.looseObject({})),
]);

const stateSchema = z.looseObject({
	version: z.literal(1),
	seq: number,
	stacks: z.array(stackSchema),
	services: z.array(serviceSchema),
	oneOffTasks: z.array(taskSchema).optional(),
	taskDefinitions: z.record(z.string(), z.array(z.looseObject({revision: number, arn: text}))),
	repositories: z.record(z.string(), z.array(z.looseObject({digest: text, tags: z.array(text), pushedAt: number}))),
	seededAt: number.optional(),
	logs: z.record(z.string(), z.array(z.looseObject({timestamp: number, message: text}))),
	steps: z.array(stepSchema),
	calls: z.record(z.string(), number),
	expiredUntil: number.optional(),
});
/** Checks parsed state JSON: the data, or the first problem with the path of its field. */
export const checkState = checkWith(stateSchema);
