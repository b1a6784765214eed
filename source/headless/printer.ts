import {changeLines} from '../engine/deploy/change-set.js';
import type {AnswerOf, EngineEvent, EngineHost, EnterQuestion, Question, QuestionId} from '../engine/core/host.js';
import {Unanswered} from '../engine/core/host.js';
import type {Output} from './output.js';
import type {Prompter} from './prompter.js';
import {minutesLeft} from '../domain/lifecycle.js';

/** What the flags answer: yes/no questions and picks by question id, typed values by key (e.g. from the environment). */
export type Answers = {
	confirm?: Partial<Record<QuestionId, boolean>>;
	choose?: Partial<Record<QuestionId, string>>;
	enter?: (question: EnterQuestion) => string | undefined;
};

export type PrinterOptions = {
	json: boolean;
	answers: Answers;
	/** Asks on the terminal when a flag does not answer (stdin and stderr are terminals, not --json). */
	prompter?: Prompter;
	now?: () => Date;
};

/**
 * The headless EngineHost: one plain line per event (time-stamped, colours only on a TTY), or one JSON
 * object per line with --json. A question is answered by its flag; else, on a terminal, the operator is
 * asked; else it gets its default, or, without one, the run stops naming the flag ({@link Unanswered}).
 */
export function createPrinter(output: Output, options: PrinterOptions): EngineHost {
	const now = options.now ?? (() => new Date());
	const {paint} = output;
	const line = (text: string) => output.line(`${paint.dim(now().toISOString().slice(11, 19))} ${text}`);
	const say = (text: string) => {
		if (!options.json) line(text);
	};
	// The engine reports the failure reasons each time they change: print each reason once.
	const printed = new Set<string>();
	return {
		notify(event) {
			if (options.json) {
				// The result is printed once, by the command.
				if (event.code !== 'deploy.end') output.line(JSON.stringify({time: now().toISOString(), ...event}));
				return;
			}
			if (event.code === 'failure') {
				const fresh = event.reasons.filter(r => !printed.has(`${r.subject}\n${r.message}`));
				for (const r of fresh) printed.add(`${r.subject}\n${r.message}`);
				event = {...event, reasons: fresh};
			}
			const text = describeEvent(event, paint, now);
			if (text !== undefined) for (const part of text.split('\n')) line(part);
		},
		async request<Q extends Question>(question: Q): Promise<AnswerOf<Q>> {
			return (await answerQuestion(question, options, say)) as AnswerOf<Q>;
		},
	};
}

async function answerQuestion(question: Question, options: PrinterOptions, say: (text: string) => void): Promise<boolean | string> {
	const {answers, prompter} = options;
	switch (question.kind) {
		case 'confirm': {
			const given = answers.confirm?.[question.id];
			if (given !== undefined) {
				say(`${question.message} ${given ? 'yes' : 'no'} (${question.flag})`);
				return given;
			}
			if (prompter) return prompter.confirm(question);
			say(`${question.message} ${question.defaultAnswer ? 'yes' : `no (pass ${question.flag} to answer yes)`}`);
			return question.defaultAnswer;
		}
		case 'choose': {
			const given = answers.choose?.[question.id];
			if (given !== undefined) return given;
			if (prompter) return prompter.choose(question);
			if (question.defaultAnswer !== undefined) {
				say(`${question.message} ${question.defaultAnswer} (the default; ${question.flag} picks another)`);
				return question.defaultAnswer;
			}
			throw new Unanswered(question);
		}
		case 'enter': {
			const given = answers.enter?.(question);
			if (given !== undefined) return given;
			if (prompter) return prompter.enter(question);
			if (question.defaultAnswer !== undefined) return question.defaultAnswer;
			throw new Unanswered(question);
		}
	}
}

function describeEvent(event: EngineEvent, paint: Output['paint'], now: () => Date): string | undefined {
	switch (event.code) {
		case 'deploy.start':
			return paint.bold(`${event.heading ?? 'Deploying'} ${event.project}${event.releaseVersion ? ` ${event.releaseVersion}` : ''} ${event.heading ? 'in' : 'to'} ${event.environment} (stack ${event.stackName}${event.target ? `, cluster ${event.target.cluster} in ${event.target.region}${event.target.sandbox ? ', sandbox' : ''}` : ''})`);
		case 'release': {
			const images = Object.entries(event.release.images).map(([ref, i]) => `${ref}=${i.tag}${i.digest ? ` (${i.digest.slice(0, 19)})` : ''}`);
			return `release ${event.release.version}${event.release.channel ? ` on channel ${event.release.channel}` : ''}${event.release.source === 'new' ? ' (new)' : ''}: ${images.join(', ')}`;
		}
		case 'recipe.problems':
			return event.problems.map(p => `${p.severity} ${p.path}: ${p.message}`).join('\n');
		case 'plan':
			return `stack ${event.stackStatus ?? 'does not exist'}: ${event.plan.kind}`;
		case 'stack.busy':
			return `another operation is running (${event.status}); waiting for it to end`;
		case 'changeset.ready':
			return ['changes:', ...changeLines(event.changes).map(line => `  ${line}`)].join('\n');
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
		case 'deploy.end':
			return undefined;
		case 'service.deployment': {
			const d = event.deployment;
			return `ECS ${event.role === 'old' ? 'previous ' : ''}deployment ${d.id} ${d.status} ${d.rolloutState ?? ''}: ${d.running}/${d.desired} running, ${d.pending} pending, ${d.failed} failed`;
		}
		case 'service.event':
			return paint.dim(event.message);
		case 'service.lifecycle': {
			const l = event.lifecycle;
			const waiting = l.hook?.status === 'AWAITING_ACTION';
			const left = waiting && l.hook?.expiresAt !== undefined ? ` (${l.hook.timeoutAction ?? 'ROLLBACK'} in ${minutesLeft(l.hook.expiresAt, now().getTime())} min if nobody answers)` : '';
			const parts = [`production ${l.production} % on the new revision`, ...(l.testListener ? ['test traffic on it'] : []), `${l.tasks.running}/${l.tasks.requested} new tasks running`];
			return `ECS ${l.strategy} deployment ${l.status} at ${l.stage ?? 'start'}: ${parts.join(', ')}${waiting ? paint.yellow(` — waiting for approval${left}`) : ''}`;
		}
		case 'task': {
			const t = event.task;
			const exits = t.containers.filter(c => c.exitCode !== undefined).map(c => `${c.name} exit ${c.exitCode}`);
			return `task ${t.id.slice(0, 12)} ${t.lastStatus}${t.healthStatus && t.healthStatus !== 'UNKNOWN' ? ` ${t.healthStatus}` : ''}${t.stoppedReason ? `: ${t.stoppedReason}` : ''}${exits.length > 0 ? ` (${exits.join(', ')})` : ''}`;
		}
		case 'aws.retry':
			return paint.yellow(`${event.operation} ${event.kind === 'throttling' ? 'throttled' : 'failed'}; retrying in ${(event.delayMs / 1000).toFixed(1)} s`);
		case 'logs':
			return [`last log lines of ${event.container} (task ${event.taskId.slice(0, 12)}):`, ...event.lines.map(l => `  | ${l}`)].join('\n');
		case 'task.output':
			return event.lines.map(l => `${paint.dim(`${event.container} |`)} ${l}`).join('\n');
		case 'before-deploy':
			switch (event.state) {
				case 'running':
					return paint.bold(event.message);
				case 'passed':
					return paint.green(`✓ ${event.message}`);
				case 'skipped':
					return paint.yellow(event.message);
				case 'failed':
					return paint.red(`✗ ${event.message}`);
			}
			return undefined;
		case 'failure':
			return event.reasons.map(r => `${paint.red('✗')} ${r.subject}: ${r.message}${r.hint ? `\n  hint: ${r.hint}` : ''}`).join('\n') || undefined;
		case 'warning':
			return paint.yellow(`warning: ${event.message}`);
		case 'note':
			return event.message;
		// A step is said by the events that follow it; followed logs and task output have commands of their own.
		case 'step':
		case 'log.lines':
			return undefined;
		default: {
			// Every event the engine reports is handled above: a new one fails to compile here.
			const unhandled: never = event;
			return unhandled;
		}
	}
}
