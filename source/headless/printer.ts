import type {EngineEvent, EngineHost, Question} from '../engine/events.js';
import type {Output} from './output.js';

/** How the headless host answers questions: from flags, else the question's default. */
export type Answers = Partial<Record<Question['id'], boolean>>;

/**
 * The headless EngineHost: one plain line per event (time-stamped, colours only on a TTY), or one JSON object
 * per line with --json. Questions are answered from flags, never by waiting for input.
 */
export function createPrinter(output: Output, options: {json: boolean; answers: Answers; now?: () => Date}): EngineHost & {refused: Question[]} {
	const now = options.now ?? (() => new Date());
	const refused: Question[] = [];
	const {paint} = output;
	const line = (text: string) => output.line(`${paint.dim(now().toISOString().slice(11, 19))} ${text}`);
	return {
		refused,
		notify(event) {
			if (options.json) {
				output.line(JSON.stringify({time: now().toISOString(), ...event}));
				return;
			}
			const text = describeEvent(event, paint);
			if (text !== undefined) for (const part of text.split('\n')) line(part);
		},
		async confirm(question) {
			const answer = options.answers[question.id] ?? question.defaultAnswer;
			if (!answer) refused.push(question);
			if (!options.json) line(`${question.message} ${answer ? 'yes' : `no (pass ${question.flag} to allow)`}`);
			return answer;
		},
	};
}

function describeEvent(event: EngineEvent, paint: Output['paint']): string | undefined {
	switch (event.code) {
		case 'deploy.start':
			return paint.bold(`Deploying ${event.project}${event.releaseVersion ? ` ${event.releaseVersion}` : ''} to ${event.environment} (stack ${event.stackName})`);
		case 'recipe.problems':
			return event.problems.map(p => `${p.severity} ${p.path}: ${p.message}`).join('\n');
		case 'plan':
			return `stack ${event.stackStatus ?? 'does not exist'}: ${event.plan.kind}`;
		case 'stack.busy':
			return `another operation is running (${event.status}); waiting for it to end`;
		case 'changeset.ready':
			return ['changes:', ...event.changes.map(c => `  ${c.action.padEnd(7)} ${c.logicalId} (${c.resourceType})${c.replacement === 'True' ? ' [replaced]' : ''}`)].join('\n');
		case 'changeset.empty':
			return 'no changes to apply';
		case 'stack.operation':
			return `${event.operation} started`;
		case 'stack.event': {
			const e = event.event;
			const status = e.status.endsWith('_FAILED') ? paint.red(e.status) : e.status.endsWith('_COMPLETE') ? paint.green(e.status) : e.status;
			return `${e.logicalId} ${status}${e.reason ? ` ${paint.dim(e.reason)}` : ''}`;
		}
		case 'stack.status':
			return undefined;
		case 'service.deployment': {
			const d = event.deployment;
			return `ECS deployment ${d.id} ${d.status} ${d.rolloutState ?? ''}: ${d.running}/${d.desired} running, ${d.pending} pending, ${d.failed} failed`;
		}
		case 'service.event':
			return paint.dim(event.message);
		case 'task': {
			const t = event.task;
			const exits = t.containers.filter(c => c.exitCode !== undefined).map(c => `${c.name} exit ${c.exitCode}`);
			return `task ${t.id.slice(0, 12)} ${t.lastStatus}${t.healthStatus && t.healthStatus !== 'UNKNOWN' ? ` ${t.healthStatus}` : ''}${t.stoppedReason ? `: ${t.stoppedReason}` : ''}${exits.length > 0 ? ` (${exits.join(', ')})` : ''}`;
		}
		case 'aws.retry':
			return paint.yellow(`${event.operation} ${event.kind === 'throttling' ? 'throttled' : 'failed'}; retrying in ${(event.delayMs / 1000).toFixed(1)} s`);
		case 'logs':
			return [`last log lines of ${event.container} (task ${event.taskId.slice(0, 12)}):`, ...event.lines.map(l => `  | ${l}`)].join('\n');
		case 'failure':
			return event.reasons.map(r => `${paint.red('✗')} ${r.subject}: ${r.message}${r.hint ? `\n  hint: ${r.hint}` : ''}`).join('\n') || undefined;
		case 'note':
			return event.message;
	}
}
