// Performance checks, run by `npm run bench` (bench/run.mjs bundles this file and runs it).
// Each case prints a line: what was measured and the number. Nothing here is asserted: compare runs.
import {performance} from 'node:perf_hooks';
import {readFile} from 'node:fs/promises';
import {render} from 'ink-testing-library';
import {parseRecipe} from '../source/domain/recipe/parse.js';
import {resolveRecipe} from '../source/domain/recipe/resolve.js';
import {buildTemplate} from '../source/domain/template/build.js';
import {StackEventFeed} from '../source/engine/stack-feed.js';
import {listeningHost} from '../source/engine/host.js';
import {RunControl} from '../source/engine/run-control.js';
import {App} from '../source/ui/app.js';
import {TerminalSizeContext} from '../source/ui/hooks/use-terminal-size.js';
import type {CloudFormationPort} from '../source/aws/ports.js';

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
	// A 5 MB recipe: one container with 100,000 environment entries, each bound to a variable.
	const entries = Array.from({length: 100_000}, (_, i) => `        VAR_${i}: "value-#{Environment}-${i}"`).join('\n');
	const text = `name: shop\nenvironments: [dev]\nimages: {web: {repository: shop-web}}\nservice:\n  cpu: 256\n  memory: 512\n  network: {subnets: [subnet-0a1b2c3d4e5f60718]}\n  containers:\n    - name: web\n      image: web\n      environment:\n${entries}\n`;
	const start = performance.now();
	const parsed = parseRecipe(text);
	const parsedAt = performance.now();
	const {problems} = resolveRecipe({recipe: parsed.recipe!, environment: 'dev'});
	const mb = (text.length / 1e6).toFixed(1);
	report(`validate a ${mb} MB recipe: parse, then resolve + validate`, `${(parsedAt - start).toFixed(0)} ms + ${(performance.now() - parsedAt).toFixed(0)} ms (${problems.length} problems)`);
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

await templates();
await largeRecipe();
await eventFeed();
await firstFrame();
