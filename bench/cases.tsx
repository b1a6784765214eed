// Performance checks, run by `npm run bench` (bench/run.mjs bundles this file and runs it).
// Each case prints a line: what was measured and the number. Nothing here is asserted: compare runs.
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {readFile} from 'node:fs/promises';
import {EventEmitter} from 'node:events';
import {Writable} from 'node:stream';
import {Box, render as inkRender, Text} from 'ink';
import {useEffect, useState} from 'react';
import {render} from 'ink-testing-library';
import semver from 'semver';
import {parseRecipe} from '../source/domain/recipe/parse.js';
import {resolveRecipe} from '../source/domain/recipe/resolve.js';
import {buildTemplate} from '../source/domain/template/build.js';
import {StackEventFeed} from '../source/engine/monitor/stack-feed.js';
import {listeningHost} from '../source/engine/core/host.js';
import {RunControl} from '../source/engine/core/run-control.js';
import {App} from '../source/ui/app.js';
import {TerminalSizeContext} from '../source/ui/hooks/use-terminal-size.js';
import type {CloudFormationPort} from '../source/aws/ports.js';
import type {Engine} from '../source/engine/engine.js';
import type {ImageTags} from '../source/engine/releases/image-tags.js';
import {readRecipeFile} from '../source/io/recipe-files.js';
import {summarizeRecipe} from '../source/ui/catalog.js';
import {filterIndexes} from '../source/ui/lists/list-state.js';
import {QuestionQueue} from '../source/ui/runs/questions.js';
import {RunRegistry} from '../source/ui/runs/run-registry.js';
import type {RunStore} from '../source/ui/runs/run-store.js';
import type {Route} from '../source/ui/navigation.js';

import {randomUUID} from 'node:crypto';
import {SandboxAccount} from '../source/aws/sandbox/account.js';
import {sandboxTarget} from '../source/aws/sandbox/index.js';
import type {AwsPorts} from '../source/aws/ports.js';
import {createEngine} from '../source/engine/engine.js';
import {defaultPolling, realClock, type Clock} from '../source/engine/core/clock.js';
import type {EngineDeps} from '../source/engine/core/deps.js';
import type {AnswerOf, EngineEvent, EngineHost, Question} from '../source/engine/core/host.js';
import {memoryWorkspace} from '../source/engine/core/workspace.js';
import {localFiles} from '../source/io/files.js';
import {startAppRun, reattachCommand} from '../source/ui/runs/start-run.js';

const report = (name: string, value: string) => console.log(`${name.padEnd(58)} ${value}`);

async function templates() {
	const files = ['recipes/hello-color.yaml', 'recipes/orders-api.yaml', 'recipes/invoice-worker.yaml'];
	const recipes = await Promise.all(files.map(async f => parseRecipe(await readFile(f, 'utf8')).recipe!));
	const rounds = 300;
	const start = performance.now();
	for (let i = 0; i < rounds; i++) {
		for (const recipe of recipes) {
			const images = Object.fromEntries(Object.keys(recipe.images).map(ref => [ref, {tag: `1.0.${i}`}]));
			const {resolved} = resolveRecipe({recipe, environment: 'production', images, releaseVersion: `1.0.${i}`, target: {region: 'eu-west-1', cluster: 'main', accountId: '111122223333'}});
			buildTemplate(resolved!);
		}
	}
	const ms = (performance.now() - start) / (rounds * recipes.length);
	report('resolve + validate + build one template', `${ms.toFixed(3)} ms`);
}

async function largeRecipe() {
	// A recipe just under the 1 MiB limit: one container with 22,000 environment entries, each bound to a variable.
	const recipeWith = (count: number) =>
		`name: shop\nenvironments: [dev]\nimages: {web: {repository: shop-web}}\nservice:\n  cpu: 256\n  memory: 512\n  network: {subnets: [subnet-0a1b2c3d4e5f60718]}\n  containers:\n    - name: web\n      image: web\n      environment:\n${Array.from({length: count}, (_, i) => `        VAR_${i}: "value-#{Environment}-${i}"`).join('\n')}\n`;
	const text = recipeWith(22_000);
	const start = performance.now();
	const parsed = parseRecipe(text);
	const parsedAt = performance.now();
	const {problems} = resolveRecipe({recipe: parsed.recipe!, environment: 'dev'});
	const mb = (text.length / 1e6).toFixed(2);
	report(`validate a ${mb} MB recipe: parse, then resolve + validate`, `${(parsedAt - start).toFixed(0)} ms + ${(performance.now() - parsedAt).toFixed(0)} ms (${problems.length} problems)`);
	// Over the limit: refused before it is parsed.
	const huge = recipeWith(100_000);
	const refusedAt = performance.now();
	const refused = parseRecipe(huge);
	report(`refuse a ${(huge.length / 1e6).toFixed(1)} MB recipe (over 1 MiB)`, `${(performance.now() - refusedAt).toFixed(1)} ms (${refused.problems.length} problem)`);
	const deep = `name: shop\nservice:\n  x: ${'['.repeat(500_000)}${']'.repeat(500_000)}\n`;
	const deepAt = performance.now();
	const scanned = parseRecipe(deep);
	report('refuse 1 MB of [[[… (nesting scan, no syntax tree)', `${(performance.now() - deepAt).toFixed(0)} ms (${scanned.problems.length} problem)`);
	// Linear growth: four times the entries should take about four times as long (best of three runs each).
	const recipeOf = (count: number, value: (i: number) => string) =>
		`name: shop\nenvironments: [dev]\nimages: {web: {repository: shop-web}}\nservice:\n  cpu: 256\n  memory: 512\n  network: {subnets: [subnet-0a1b2c3d4e5f60718]}\n  containers:\n    - name: web\n      image: web\n      environment:\n${Array.from({length: count}, (_, i) => `        VAR_${i}: ${value(i)}`).join('\n')}\n`;
	const fastest = (recipe: string) => {
		let best = Number.POSITIVE_INFINITY;
		for (let run = 0; run < 3; run++) {
			const t = performance.now();
			const doc = parseRecipe(recipe);
			if (doc.recipe) resolveRecipe({recipe: doc.recipe, environment: 'dev'});
			best = Math.min(best, performance.now() - t);
		}
		return best;
	};
	for (const [kind, value] of [['valid entries', (i: number) => `"value-#{Environment}-${i}"`], ['wrong-type entries', () => '']] as const) {
		fastest(recipeOf(4000, value));
		const ratio = fastest(recipeOf(16_000, value)) / fastest(recipeOf(4000, value));
		report(`validate 4,000 → 16,000 ${kind}: time ratio (4 = linear)`, ratio.toFixed(1));
	}
}

async function eventFeed() {
	// A stack with 5,000 events, paged 100 at a time, newest first, as DescribeStackEvents does.
	const events = Array.from({length: 5000}, (_, i) => ({
		StackId: 's',
		StackName: 's',
		EventId: `e${i}`,
		LogicalResourceId: `R${i % 40}`,
		ResourceType: 'AWS::ECS::Service',
		ResourceStatus: 'UPDATE_IN_PROGRESS' as const,
		Timestamp: new Date(1_800_000_000_000 + i),
	}));
	let shown = 1000;
	let calls = 0;
	const cfn = {
		describeStackEvents: async ({NextToken}: {NextToken?: string}) => {
			calls++;
			const newestFirst = events.slice(0, shown).reverse();
			const start = Number(NextToken ?? 0);
			return {StackEvents: newestFirst.slice(start, start + 100), ...(start + 100 < newestFirst.length ? {NextToken: String(start + 100)} : {})};
		},
	} as unknown as CloudFormationPort;
	const host = listeningHost();
	const feed = new StackEventFeed(cfn, {host, control: new RunControl(), clock: {now: () => 0, sleep: async () => {}}, polling: {activeMs: 0, idleMs: 0, jitter: 0, throttleBaseMs: 0, throttleMaxMs: 0, random: Math.random}}, 's', 0, new Set());
	const start = performance.now();
	await feed.poll();
	const first = performance.now() - start;
	calls = 0;
	let later = 0;
	for (shown = 1050; shown <= 5000; shown += 50) {
		const t = performance.now();
		await feed.poll();
		later += performance.now() - t;
	}
	report('event feed: first poll of 1,000 events', `${first.toFixed(1)} ms`);
	report('event feed: 80 polls of 50 new events each (pages read)', `${(later / 80).toFixed(2)} ms/poll, ${calls} pages`);
}

async function firstFrame() {
	const recipes = Array.from({length: 300}, (_, i) => ({file: `recipes/r${i}.yaml`, name: `service-${i}`, environments: ['dev', 'staging', 'production'], images: [], containers: ['web'], problems: []}));
	const catalog = {folder: './recipes', list: async () => recipes};
	const start = performance.now();
	const app = render(
		<TerminalSizeContext.Provider value={{columns: 120, rows: 40}}>
			<App catalog={catalog} sandbox loadEngine={() => new Promise(() => undefined)} />
		</TerminalSizeContext.Provider>,
	);
	while (!(app.lastFrame() ?? '').includes('service-0')) await new Promise(r => setTimeout(r, 1));
	report('TUI: home screen with 300 recipes, first full frame', `${(performance.now() - start).toFixed(1)} ms, ${app.frames.length} frames`);
	app.unmount();
}

/** A terminal for Ink's real renderer: a stdout that counts bytes and a stdin that accepts raw mode. */
function terminal(columns: number, rows: number) {
	let bytes = 0;
	let last = '';
	const stdout = Object.assign(
		new Writable({
			write(chunk: Buffer, _encoding, done) {
				bytes += chunk.length;
				last += chunk.toString();
				done();
			},
		}),
		{columns, rows, isTTY: true},
	);
	let pending: string | null = null;
	const stdin = Object.assign(new EventEmitter(), {
		isTTY: true,
		setRawMode() {},
		setEncoding() {},
		resume() {},
		pause() {},
		ref() {},
		unref() {},
		read: () => {
			const data = pending;
			pending = null;
			return data;
		},
	});
	const type = (data: string) => {
		pending = data;
		stdin.emit('readable');
		stdin.emit('data', data);
	};
	return {stdout, stdin, type, bytes: () => bytes, last: () => last};
}

const catalogOne = {folder: './recipes', list: async () => [summarizeRecipe('recipes/hello-color.yaml', await readRecipeFile('recipes/hello-color.yaml'))]};

/** Renders the app with Ink's real renderer on a fake terminal; returns the render metrics as they come. */
function mount(route: Route, options: {runs?: RunRegistry; engine?: Engine; columns?: number; rows?: number} = {}) {
	const term = terminal(options.columns ?? 160, options.rows ?? 50);
	const renders: number[] = [];
	const instance = inkRender(
		<App catalog={catalogOne} sandbox loadEngine={() => (options.engine ? Promise.resolve(options.engine) : new Promise(() => undefined))} runs={options.runs ?? new RunRegistry()} questions={new QuestionQueue()} initialRoute={route} />,
		{stdout: term.stdout as never, stdin: term.stdin as never, exitOnCtrlC: false, patchConsole: false, onRender: ({renderTime}: {renderTime: number}) => renders.push(renderTime)} as never,
	);
	return {instance, renders, term};
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const gc = () => (globalThis as {gc?: () => void}).gc?.();

/** One feed of 10,000 events, as fast as the engine could report them (100 per tick), into a fresh live view. */
async function feedLiveView() {
	const runs = new RunRegistry();
	let store!: RunStore;
	const never = new Promise<never>(() => undefined);
	const entry = runs.add({kind: 'deploy', recipeFile: 'recipes/hello-color.yaml', project: 'hello-color', environment: 'dev'}, s => {
		store = s;
		return {result: never, control: new RunControl(), detach() {}, cancel() {}};
	});
	const mounted = mount({name: 'live', runId: entry.id}, {runs});
	const {instance, renders} = mounted;
	await new Promise(r => setTimeout(r, 100));
	const before = renders.length;
	gc();
	const heap: number[] = [];
	const start = performance.now();
	for (let i = 0; i < 10_000; i++) {
		store.push({code: 'stack.event', event: {id: `e${i}`, timestamp: 1_800_000_000_000 + i, logicalId: `Resource${i % 40}`, resourceType: 'AWS::ECS::Service', status: i % 7 === 0 ? 'UPDATE_FAILED' : 'UPDATE_IN_PROGRESS', reason: `reason ${i} ${'x'.repeat(i % 120)}`}});
		if (i % 5 === 0) store.push({code: 'service.event', id: `s${i}`, createdAt: 1_800_000_000_000 + i, message: `(service s) has started 1 tasks: (task ${i}).`});
		// As fast as a busy engine reports: 50 events a millisecond.
		if (i % 50 === 49) await new Promise(r => setTimeout(r, 1));
		if (i % 2500 === 2499) {
			gc();
			heap.push(process.memoryUsage().heapUsed / 1e6);
		}
	}
	const seconds = (performance.now() - start) / 1000;
	await new Promise(r => setTimeout(r, 200));
	if (process.env['BENCH_DEBUG']) console.log(mounted.term.last().replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '').slice(-3000));
	instance.unmount();
	return {frames: renders.slice(before), seconds, heap};
}

async function liveView() {
	// Each feed lasts half a second (a handful of frames): five feeds, so that the frame times are a sample.
	const feeds = [];
	for (let round = 0; round < 5; round++) feeds.push(await feedLiveView());
	const frames = feeds.flatMap(f => f.frames);
	const seconds = feeds.reduce((sum, f) => sum + f.seconds, 0);
	const p95 = [...frames].sort((a, b) => a - b)[Math.floor(frames.length * 0.95)];
	report('live view: 10,000 events fed at full speed (5 feeds)', `${((10_000 * feeds.length) / seconds).toFixed(0)} events/s, ${(seconds / feeds.length).toFixed(2)} s a feed`);
	report('live view: renders per second while fed', `${(frames.length / (seconds + 0.2 * feeds.length)).toFixed(1)} (${frames.length} renders)`);
	report('live view: time per frame at 160×50 (median, p95)', `${median(frames).toFixed(2)} ms, ${p95?.toFixed(2) ?? '?'} ms`);
	report('live view: heap after 2.5k/5k/7.5k/10k events (last feed)', `${feeds.at(-1)!.heap.map(h => h.toFixed(1)).join(' / ')} MB`);
}

/** What Ink itself takes to draw a 160×50 screen of plain text 25 times a second: the floor under the live view's frames. */
function PlainScreen() {
	const [n, setN] = useState(0);
	useEffect(() => {
		const timer = setInterval(() => setN(x => x + 1), 40);
		return () => clearInterval(timer);
	}, []);
	return (
		<Box flexDirection="column" height={49}>
			{Array.from({length: 48}, (_, i) => (
				<Text key={i} wrap="truncate">
					{`${n} line ${i} `.padEnd(158, 'x')}
				</Text>
			))}
		</Box>
	);
}

async function inkFloor() {
	const term = terminal(160, 50);
	const renders: number[] = [];
	const instance = inkRender(<PlainScreen />, {stdout: term.stdout as never, stdin: term.stdin as never, exitOnCtrlC: false, patchConsole: false, onRender: ({renderTime}: {renderTime: number}) => renders.push(renderTime)} as never);
	await new Promise(r => setTimeout(r, 1500));
	instance.unmount();
	report('Ink alone (as bundled): a plain 160×50 screen, time per frame', `${median(renders.slice(2)).toFixed(2)} ms (median of ${renders.length - 2})`);
}

async function tagFilter() {
	// 10,000 tags in the release picker; `/` then one character at a time.
	const rows = Array.from({length: 10_000}, (_, i) => {
		const tag = `3.${Math.floor(i / 100)}.${i % 100}`;
		return {tag, digest: `sha256:${String(i).padStart(64, '0')}`, version: semver.parse(tag)!, prerelease: false, allowed: true, isDefault: i === 9999};
	}).reverse();
	const texts = rows.map(r => r.tag);
	const t = performance.now();
	for (let i = 0; i < 100; i++) filterIndexes(texts, `3.${i % 99}.`);
	report('filter 10,000 tags (one pass, the reducer\'s work)', `${((performance.now() - t) / 100).toFixed(2)} ms per keystroke`);
	const tags: ImageTags = {ref: 'web', repository: 'hello-color', versions: rows, others: [], defaultTag: rows[0]!.tag};
	const engine = {releases: async () => [], storedTargets: () => [], imageTags: async () => tags, pickTarget: () => ({target: {name: 'sandbox', region: 'eu-west-1', cluster: 'sandbox', environments: ['dev'], tags: [], credentials: {source: 'default'}, sandbox: true}}), targets: () => []} as unknown as Engine;
	const {instance, renders, term} = mount({name: 'release-picker', file: 'recipes/hello-color.yaml', mode: 'create'}, {engine, columns: 120, rows: 40});
	while (!term.last().includes('3.99.99')) await new Promise(r => setTimeout(r, 10));
	const times: number[] = [];
	for (const key of ['/', '3', '.', '4', '2', '.', '7']) {
		// Keys 80 ms apart, as a quick typist's: Ink draws at most 30 frames a second, and a key typed right
		// after a frame waits for the next one, which would measure that limit rather than the key's work.
		await new Promise(r => setTimeout(r, 80));
		const count = renders.length;
		const bytes = term.bytes();
		const start = performance.now();
		term.type(key);
		while (renders.length === count && term.bytes() === bytes && performance.now() - start < 1000) await new Promise(r => setImmediate(r));
		times.push(performance.now() - start);
	}
	if (process.env['BENCH_DEBUG']) console.log(times.map(t => t.toFixed(1)).join(' '));
	report('release picker, 10,000 tags: key to frame while filtering', `${median(times).toFixed(1)} ms median, ${Math.max(...times).toFixed(1)} ms max`);
	instance.unmount();
}


/** AwsPorts that log the name of every call made through them. */
function counted(ports: AwsPorts, log: string[]): AwsPorts {
	const wrap = (api: object) => new Proxy(api, {get: (target, key) => {
		const value = (target as Record<string | symbol, unknown>)[key];
		return typeof value === 'function' ? (...args: unknown[]) => (log.push(String(key)), (value as (...a: unknown[]) => unknown).apply(target, args)) : value;
	}});
	return Object.fromEntries(Object.entries(ports).map(([name, api]) => [name, typeof api === 'object' && api !== null ? wrap(api) : api])) as AwsPorts;
}

/** A headless host that says yes to the deploy's questions and answers the approval gate with `gate()`. */
function gateHost(onEvent: (event: EngineEvent) => void, gate: () => Promise<string>): EngineHost {
	return {
		notify: onEvent,
		request: <Q extends Question>(question: Q) => (question.id === 'approve-deployment' ? gate() : Promise.resolve((question.kind === 'confirm' ? true : question.defaultAnswer ?? '') as AnswerOf<Q>)) as Promise<AnswerOf<Q>>,
	};
}

const checkoutRecipe = path.resolve('recipes/checkout-api.yaml');

/**
 * The approval gate on the engine with the default polling, on a virtual clock shared with the sandbox (real
 * durations, no waiting): AWS calls per second while a blue/green deploy waits 10 min at its gate, and the
 * time from the answer (promote) to the next stage on the view (the sandbox takes 3 s for that stage).
 */
async function gateEngine() {
	let now = Date.parse('2026-12-07T12:00:00Z');
	let waitingSince: number | undefined;
	let promote: ((answer: string) => void) | undefined;
	let answeredAt: number | undefined;
	let nextStageAt: number | undefined;
	let nextStage: string | undefined;
	let callsAtWait = 0;
	let callsAtAnswer = 0;
	const log: string[] = [];
	const clock: Clock = {
		now: () => now,
		sleep: (ms, signal) =>
			new Promise(resolve => {
				if (signal?.aborted) return resolve();
				setImmediate(() => {
					if (!signal?.aborted) now += ms;
					// Ten minutes of waiting at the gate, then the operator promotes.
					if (promote && waitingSince !== undefined && now - waitingSince >= 600_000) {
						callsAtAnswer = log.length;
						answeredAt = now;
						promote('promote');
						promote = undefined;
					}
					resolve();
				});
			}),
	};
	const account = new SandboxAccount({now: () => now});
	const deps: EngineDeps = {workspace: memoryWorkspace(), awsFor: async () => counted(account.ports(), log), pollingFor: () => defaultPolling, clock, newId: randomUUID, files: localFiles, sandboxTarget, sandboxOnly: true, actor: 'bench'};
	const engine = createEngine(deps);
	const deploy = (tag: string, host: EngineHost) => engine.deploy({recipeFile: checkoutRecipe, environment: 'production', target: sandboxTarget, reattach: 'watch', images: {api: tag}}, host).result;
	await deploy('1.3.0', gateHost(() => undefined, async () => 'wait'));
	const host = gateHost(
		event => {
			if (event.code !== 'service.lifecycle') return;
			if (event.lifecycle.hook?.status === 'AWAITING_ACTION' && waitingSince === undefined) {
				waitingSince = now;
				callsAtWait = log.length;
			}
			if (answeredAt !== undefined && nextStageAt === undefined && event.lifecycle.stage !== 'POST_TEST_TRAFFIC_SHIFT') {
				nextStageAt = now;
				nextStage = event.lifecycle.stage;
			}
		},
		() => new Promise(resolve => (promote = resolve)),
	);
	const result = await deploy('1.4.0', host);
	const waited = log.slice(callsAtWait, callsAtAnswer);
	const byCall = Object.entries(waited.reduce<Record<string, number>>((n, call) => ((n[call] = (n[call] ?? 0) + 1), n), {})).map(([call, n]) => `${call} ${n}`).join(', ');
	report('gate (engine, default polling): AWS calls/s while it waits', `${(waited.length / ((answeredAt! - waitingSince!) / 1000)).toFixed(3)} (${waited.length} calls in 10 min: ${byCall}); ${result.outcome}`);
	report('gate (engine): promote → next stage seen (sandbox stage 3 s)', `${((nextStageAt! - answeredAt!) / 1000).toFixed(1)} s of AWS time (${nextStage})`);
}

/**
 * The approval gate in the app (real timers, default polling, the sandbox 2× faster): the time from `p` in the
 * live view to the gate leaving the screen (ECS shows the hook answered), and to the next stage on screen
 * (the sandbox takes 1.5 s for it at 2×). Median of 3 deploys.
 */
async function gateApp() {
	const left: number[] = [];
	const next: number[] = [];
	const stages: string[] = [];
	for (let round = 0; round < 3; round++) {
		const account = new SandboxAccount({speed: 2});
		const deps: EngineDeps = {workspace: memoryWorkspace(), awsFor: async () => account.ports(), pollingFor: () => defaultPolling, clock: realClock, newId: randomUUID, files: localFiles, sandboxTarget, sandboxOnly: true, actor: 'bench'};
		const engine = createEngine(deps);
		const yes = gateHost(() => undefined, async () => 'wait');
		await engine.deploy({recipeFile: checkoutRecipe, environment: 'production', target: sandboxTarget, reattach: 'watch', images: {api: '1.3.0'}}, yes).result;
		await engine.deploy({recipeFile: checkoutRecipe, environment: 'production', target: sandboxTarget, reattach: 'watch', images: {api: '1.4.0'}, wait: {mode: 'none'}}, yes).result;
		const runs = new RunRegistry();
		const questions = new QuestionQueue();
		const run = startAppRun({runs, questions}, {kind: 'attach', recipeFile: checkoutRecipe, project: 'checkout-api', environment: 'production'}, host => engine.attach({recipeFile: checkoutRecipe, environment: 'production', target: sandboxTarget, reattach: reattachCommand(checkoutRecipe, 'production', sandboxTarget)}, host));
		const app = render(
			<TerminalSizeContext.Provider value={{columns: 100, rows: 30}}>
				<App catalog={{folder: './recipes', list: async () => []}} sandbox loadEngine={async () => engine} runs={runs} questions={questions} initialRoute={{name: 'live', runId: run.id}} />
			</TerminalSizeContext.Provider>,
		);
		const frame = () => app.lastFrame() ?? '';
		const until = async (done: () => boolean, ms = 60_000) => {
			const start = performance.now();
			while (!done() && performance.now() - start < ms) await new Promise(r => setTimeout(r, 2));
			if (!done()) throw new Error(`gate bench: timed out; the screen showed:\n${frame()}`);
		};
		await until(() => frame().includes('p promote new revision'));
		const start = performance.now();
		app.stdin.write('p');
		await until(() => !frame().includes('Waiting for approval'));
		left.push(performance.now() - start);
		// The first frame on a stage after the gate's (the line under the progress line starts with the stage).
		const stageNow = () => /^(\w+) · production/m.exec(frame())?.[1];
		await until(() => stageNow() !== undefined && stageNow() !== 'POST_TEST_TRAFFIC_SHIFT');
		next.push(performance.now() - start);
		stages.push(stageNow()!);
		run.run.detach();
		app.unmount();
	}
	report('gate (app, sandbox 2×): p → gate answered on screen', `${median(left).toFixed(0)} ms median of 3 (${left.map(t => t.toFixed(0)).join(', ')})`);
	report('gate (app, sandbox 2×, stage 1.5 s): p → next stage on screen', `${median(next).toFixed(0)} ms median of 3 (${next.map((t, i) => `${t.toFixed(0)} ${stages[i]}`).join(', ')})`);
}

// BENCH_ONLY=liveView (for example) runs one case, to profile it.
const cases = {templates, largeRecipe, eventFeed, firstFrame, liveView, inkFloor, tagFilter, gateEngine, gateApp};
for (const [name, run] of Object.entries(cases)) if (!process.env['BENCH_ONLY'] || process.env['BENCH_ONLY'] === name) await run();
