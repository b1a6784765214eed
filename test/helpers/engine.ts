import {mkdtemp, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {stringify} from 'yaml';
import {sandboxTarget} from '../../source/aws/sandbox/index.js';
import type {PollingOptions} from '../../source/engine/core/clock.js';
import type {EngineDeps} from '../../source/engine/core/deps.js';
import {createEngine, type Engine} from '../../source/engine/engine.js';
import type {AnswerOf, EngineEvent, EngineHost, Question, QuestionId} from '../../source/engine/core/host.js';
import {memoryWorkspace, type Workspace} from '../../source/engine/core/workspace.js';
import type {Target} from '../../source/domain/records.js';
import {FakeAws} from './fake-aws.js';
import {repoRoot} from './cli.js';
import {localFiles} from '../../source/io/files.js';

/** Polling without jitter, so tests can count calls and sleeps. */
export const testPolling: PollingOptions = {activeMs: 2000, idleMs: 8000, jitter: 0, throttleBaseMs: 1000, throttleMaxMs: 30_000, random: () => 0.5};

/** The sandbox target of the fake account. */
export const target: Target = sandboxTarget;

export type Harness = {
	fake: FakeAws;
	engine: Engine;
	deps: EngineDeps;
	workspace: Workspace;
	/** A recipe file in a temporary folder, from an object. */
	recipeFile(recipe: Record<string, unknown>, name?: string): Promise<string>;
	/** An example recipe of `recipes/`. */
	example(name: 'hello-color' | 'orders-api' | 'invoice-worker' | 'checkout-api'): string;
};

/** The engine on the fake account, with an in-memory workspace and the test's clock. */
export async function harness(options: {workspace?: Workspace} = {}): Promise<Harness> {
	const fake = new FakeAws();
	const workspace = options.workspace ?? memoryWorkspace();
	let ids = 0;
	const deps: EngineDeps = {
		workspace,
		awsFor: async () => fake.ports(),
		pollingFor: () => testPolling,
		clock: fake.clock,
		newId: () => `id-${String(++ids).padStart(4, '0')}`,
		files: localFiles,
		sandboxTarget,
		actor: 'tester@ci',
	};
	const folder = await mkdtemp(path.join(os.tmpdir(), 'ecs-deployer-engine-'));
	let files = 0;
	return {
		fake,
		engine: createEngine(deps),
		deps,
		workspace,
		async recipeFile(recipe, name = `recipe-${++files}.yaml`) {
			const file = path.join(folder, name);
			await writeFile(file, stringify(recipe));
			return file;
		},
		example: name => path.join(repoRoot, 'recipes', `${name}.yaml`),
	};
}

/**
 * A second operator on the same (fake) AWS account: an engine with a workspace of its own, as another
 * machine or CI job would have. Both see the same stacks and the same S3 buckets.
 */
export function secondOperator(h: Harness, options: {workspace?: Workspace; actor?: string} = {}): {engine: Engine; deps: EngineDeps; workspace: Workspace} {
	const workspace = options.workspace ?? memoryWorkspace();
	let ids = 0;
	const deps: EngineDeps = {...h.deps, workspace, newId: () => `other-${String(++ids).padStart(4, '0')}`, actor: options.actor ?? 'colleague@laptop'};
	return {engine: createEngine(deps), deps, workspace};
}

/**
 * A host that records what the engine reports and answers questions from a table (by id; values by key),
 * else with the question's default. `asked` lists the questions in order.
 */
export function recordingHost(answers: Partial<Record<QuestionId, boolean | string>> & {values?: Record<string, string>} = {}): EngineHost & {events: EngineEvent[]; asked: Question[]; codes(): string[]} {
	const events: EngineEvent[] = [];
	const asked: Question[] = [];
	return {
		events,
		asked,
		codes: () => events.map(e => e.code),
		notify: event => events.push(event),
		async request<Q extends Question>(question: Q): Promise<AnswerOf<Q>> {
			asked.push(question);
			if (question.kind === 'enter') {
				const value = answers.values?.[question.key];
				if (value !== undefined) return value as AnswerOf<Q>;
			}
			const given = answers[question.id];
			if (given !== undefined) return given as AnswerOf<Q>;
			if (question.defaultAnswer === undefined) throw new Error(`the test did not answer ${question.id}`);
			return question.defaultAnswer as AnswerOf<Q>;
		},
	};
}

/** Stack statuses in the order the engine reported them. */
export const stackStatuses = (events: readonly EngineEvent[]) => events.flatMap(e => (e.code === 'stack.status' ? [e.status] : []));
