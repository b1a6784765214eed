import {readdirSync, readFileSync} from 'node:fs';
import {parse, stringify} from 'yaml';

/*
 * The recipe generator of fuzz.test.ts: hostile and mangled recipes made from the examples in recipes/. Seeded,
 * so the same seed gives the same cases on every run.
 */

/** mulberry32: a small, fast, seeded generator (public domain). */
function mulberry32(state: number): () => number {
	return () => {
		state = (state + 0x6d2b79f5) | 0;
		let t = Math.imul(state ^ (state >>> 15), 1 | state);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

type Rng = () => number;
const int = (rng: Rng, max: number) => Math.floor(rng() * max);
const pick = <T>(rng: Rng, items: readonly T[]): T => items[int(rng, items.length)]!;

type Json = any;
type Spot = {parent: Json; key: string | number; path: Array<string | number>};

/** Every place in a tree that holds a value: its parent, its key, and its path. */
function spots(root: Json, within: Array<string | number> = []): Spot[] {
	const found: Spot[] = [];
	const walk = (node: Json, at: Array<string | number>) => {
		if (node === null || typeof node !== 'object') return;
		for (const key of Array.isArray(node) ? node.keys() : Object.keys(node)) {
			const next = [...at, key];
			found.push({parent: node, key, path: next});
			walk(node[key], next);
		}
	};
	let start = root;
	for (const segment of within) start = start?.[segment];
	walk(start, within);
	return found;
}

const isMapping = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

const controlText = ['\u001b[2J\u001b[H', '\u0007', '\u0000', '\u009b31m', '\r\n', '\t', '\u202egnp.exe', '\u2028', '\u001b]0;pwned\u0007'];
const unicodeText = ['héllo', '東京', '🚀', 'e\u0301', '\uFEFF', 'ﬁ', 'İ', 'Ω'.repeat(300)];
const limitNumbers = [0, -1, -0, 0.5, 3.5, 2 ** 31, 2 ** 53 + 2, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 65_535, 65_536, 10_001, 16_384, 122_880];

/** Replaces a value with one of another kind. */
function otherValue(rng: Rng): unknown {
	return pick(rng, [
		() => pick(rng, limitNumbers),
		() => pick(rng, ['', 'text', 'true', 'null', '~', '0x1F', '1e3', ' ', '#{Project}', '##{x}', '#{', '#{Nope}']),
		() => [],
		() => [pick(rng, [1, 'a', null])],
		() => ({}),
		() => ({key: 'value'}),
		() => null,
		() => pick(rng, [true, false]),
	])();
}

function nested(depth: number, rng: Rng): unknown {
	let value: unknown = 'leaf';
	for (let i = 0; i < depth; i++) value = rng() < 0.5 ? [value] : {level: value};
	return value;
}

/** A string spot in the service section, if any. */
function serviceString(rng: Rng, recipe: Json): Spot | undefined {
	const strings = spots(recipe, isMapping(recipe['service']) ? ['service'] : []).filter(s => typeof s.parent[s.key] === 'string' && s.path[0] === 'service');
	return strings.length === 0 ? undefined : pick(rng, strings);
}

function addVariables(recipe: Json, variables: unknown[]): void {
	recipe['variables'] = [...(Array.isArray(recipe['variables']) ? recipe['variables'] : []), ...variables];
}

type Mutation<T> = {name: string; apply: (rng: Rng, input: T) => boolean};

/** Changes that may or may not leave the recipe valid. */
const neutralObject: Array<Mutation<Json>> = [
	{
		name: 'drop a key',
		apply: (rng, recipe) => {
			const places = spots(recipe).filter(s => isMapping(s.parent));
			if (places.length === 0) return false;
			const place = pick(rng, places);
			delete place.parent[place.key];
			return true;
		},
	},
	{
		name: 'swap a type',
		apply: (rng, recipe) => {
			const place = pick(rng, spots(recipe));
			place.parent[place.key] = otherValue(rng);
			return true;
		},
	},
	{
		name: 'number at a limit',
		apply: (rng, recipe) => {
			const numbers = spots(recipe).filter(s => typeof s.parent[s.key] === 'number');
			if (numbers.length === 0) return false;
			const place = pick(rng, numbers);
			place.parent[place.key] = pick(rng, limitNumbers);
			return true;
		},
	},
	{
		name: 'control characters or unicode in a string',
		apply: (rng, recipe) => {
			const strings = spots(recipe).filter(s => typeof s.parent[s.key] === 'string');
			if (strings.length === 0) return false;
			const place = pick(rng, strings);
			const text = place.parent[place.key] as string;
			const at = int(rng, text.length + 1);
			place.parent[place.key] = text.slice(0, at) + pick(rng, [...controlText, ...unicodeText]) + text.slice(at);
			return true;
		},
	},
	{
		name: 'control characters in a key',
		apply: (rng, recipe) => {
			const maps = spots(recipe).filter(s => isMapping(s.parent[s.key]));
			if (maps.length === 0) return false;
			const place = pick(rng, maps);
			(place.parent[place.key] as Record<string, unknown>)[`k${pick(rng, controlText)}`] = 'x';
			return true;
		},
	},
	{
		name: 'a long list',
		apply: (rng, recipe) => {
			const lists = spots(recipe).filter(s => Array.isArray(s.parent[s.key]) && (s.parent[s.key] as unknown[]).length > 0);
			if (lists.length === 0) return false;
			const place = pick(rng, lists);
			const list = place.parent[place.key] as unknown[];
			place.parent[place.key] = Array.from({length: 300}, (_, i) => structuredClone(list[i % list.length]));
			return true;
		},
	},
	{
		name: 'wrong nesting',
		apply: (rng, recipe) => {
			const places = spots(recipe);
			const from = pick(rng, places);
			const to = pick(rng, places);
			if (from.path.join() === to.path.join()) return false;
			to.parent[to.key] = rng() < 0.5 ? [structuredClone(from.parent[from.key])] : {[String(from.key)]: structuredClone(from.parent[from.key])};
			return true;
		},
	},
	{
		name: 'a channel rule',
		apply: (rng, recipe) => {
			if (!isMapping(recipe)) return false;
			const channels = Array.isArray(recipe['channels']) ? recipe['channels'] : [];
			recipe['channels'] = [...channels.filter(isMapping).filter(c => c['name'] !== 'fuzz'), {name: 'fuzz', prereleaseTag: pick(rng, hostileRules)}];
			return true;
		},
	},
	{
		name: 'a number-like text in an environment value',
		apply: (rng, recipe) => {
			const container = recipe?.['service']?.['containers']?.[0];
			if (!isMapping(container)) return false;
			container['environment'] = {...(isMapping(container['environment']) ? container['environment'] : {}), FUZZ_NUMBER: `${numberMarker}${pick(rng, numberLikeText)}`};
			return true;
		},
	},
	{
		name: 'a key named after Object.prototype',
		apply: (rng, recipe) => {
			const maps = spots(recipe).filter(s => isMapping(s.parent[s.key]));
			if (maps.length === 0) return false;
			const place = pick(rng, maps);
			Object.defineProperty(place.parent[place.key], pick(rng, ['__proto__', 'constructor', 'toString', 'hasOwnProperty']), {value: otherValue(rng), enumerable: true, configurable: true, writable: true});
			return true;
		},
	},
];

/** Pre-release rules: ones a backtracking matcher takes minutes on (RE2 runs them in linear time), and ones RE2 refuses. */
export const hostileRules = ['^(a|a)*$', '^(a+)+$', `${'.*'.repeat(24)}x`, '^(a|aa)*b$', '(x+x+)+y', '^$', '^(beta|rc)', '(?=beta)', '(?!rc)', '(a)\\1', '(', '[z-a]', `^(${'beta|'.repeat(60)}rc)`, '\\p{Greek}+', '(?i)BETA'];

/** Text YAML reads as a number that would print otherwise; a text field must keep it as typed. */
export const numberLikeText = ['01234', '0x1F', '1.10', '12345678901234567890', '1e100', '-0', '+5', '0o17', '.5', '1_000', '007', '1.0e+3'];

/** Where a number-like text is put, raw (unquoted) in the YAML: `FUZZ_NUMBER: <text>` in the first container's environment. */
export const numberMarker = '__FUZZ_NUMBER__';

/** Changes that always leave the recipe invalid (when they apply). */
const invalidObject: Array<Mutation<Json>> = [
	{
		name: 'an expansion bomb',
		apply: (rng, recipe) => {
			const place = serviceString(rng, recipe);
			if (!place) return false;
			addVariables(recipe, [{name: 'B0', value: '0123456789'}, ...Array.from({length: 9}, (_, i) => ({name: `B${i + 1}`, value: `#{B${i}}`.repeat(10)}))]);
			place.parent[place.key] = `x#{B9}`;
			return true;
		},
	},
	{
		name: 'a variable loop',
		apply: (rng, recipe) => {
			const place = serviceString(rng, recipe);
			if (!place) return false;
			addVariables(recipe, [{name: 'LoopA', value: 'a#{LoopB}'}, {name: 'LoopB', value: '#{LoopA}'}]);
			place.parent[place.key] = '#{LoopA}';
			return true;
		},
	},
	{
		name: 'a deep variable chain',
		apply: (rng, recipe) => {
			const place = serviceString(rng, recipe);
			if (!place) return false;
			addVariables(recipe, Array.from({length: 500}, (_, i) => ({name: `C${i}`, value: i === 499 ? 'end' : `#{C${i + 1}}`})));
			place.parent[place.key] = '#{C0}';
			return true;
		},
	},
	{
		name: 'an unknown variable',
		apply: (rng, recipe) => {
			const place = serviceString(rng, recipe);
			if (!place) return false;
			place.parent[place.key] = `${place.parent[place.key] as string}#{Missing${pick(rng, controlText)}}`;
			return true;
		},
	},
	{
		name: 'a huge field',
		apply: (rng, recipe) => {
			const place = serviceString(rng, recipe);
			if (!place) return false;
			place.parent[place.key] = 'h'.repeat(70_000);
			return true;
		},
	},
	{
		name: 'an unknown field',
		apply: (rng, recipe) => {
			if (!isMapping(recipe)) return false;
			recipe[`bogus${pick(rng, ['', ...controlText])}`] = otherValue(rng);
			return true;
		},
	},
	{
		name: 'deep nesting',
		apply: (rng, recipe) => {
			if (!isMapping(recipe)) return false;
			recipe['service'] = {...(isMapping(recipe['service']) ? recipe['service'] : {}), deep: nested(40, rng)};
			return true;
		},
	},
	{
		name: 'a sensitive value written in the recipe',
		apply: (_, recipe) => {
			addVariables(recipe, [{name: 'Password', sensitive: true, value: 'hunter2'}]);
			return true;
		},
	},
	{
		name: 'a control sequence in a container name',
		apply: (rng, recipe) => {
			const container = recipe?.['service']?.['containers']?.[0];
			if (!isMapping(container)) return false;
			container['name'] = `web${pick(rng, controlText)}`;
			return true;
		},
	},
];

/** Changes to the text that may or may not leave it valid. */
const neutralText: Array<Mutation<{text: string}>> = [
	{
		name: 'truncate',
		apply: (rng, input) => {
			input.text = input.text.slice(0, int(rng, input.text.length));
			return true;
		},
	},
	{
		name: 'syntax noise',
		apply: (rng, input) => {
			const at = int(rng, input.text.length);
			input.text = input.text.slice(0, at) + pick(rng, ['[', '{', ': ', '- ', '&a ', '*a', '!!binary ', '\t', '"', "'", '%', '@', '`', '|', '>', '\n---\n', '\n...\n', '? ', '!!python/object ']) + input.text.slice(at);
			return true;
		},
	},
	{
		name: 'duplicate a line',
		apply: (rng, input) => {
			const lines = input.text.split('\n');
			const at = int(rng, lines.length);
			lines.splice(at, 0, lines[at]!);
			input.text = lines.join('\n');
			return true;
		},
	},
	{
		name: 'binary junk',
		apply: (rng, input) => {
			const at = int(rng, input.text.length);
			input.text = input.text.slice(0, at) + pick(rng, ['\u0000', '\uFFFE', '\uD800', '\u001b[31m', '\u0085', '\r']) + input.text.slice(at);
			return true;
		},
	},
];

/** Changes to the text that always leave the recipe invalid. */
const invalidText: Array<Mutation<{text: string}>> = [
	{
		name: 'deep flow nesting',
		apply: (rng, input) => {
			const depth = pick(rng, [33, 40, 65, 1000, 100_000, 400_000]);
			input.text = `${input.text}\ndeep: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
			return true;
		},
	},
	{
		name: 'deep block nesting',
		apply: (rng, input) => {
			const depth = pick(rng, [40, 70, 300_000]);
			input.text = `${input.text}\ndeep:\n  ${'- '.repeat(depth)}x\n`;
			return true;
		},
	},
	{
		name: 'deep indentation',
		apply: (rng, input) => {
			const depth = pick(rng, [40, 100, 1000]);
			input.text = `${input.text}\ndeep:\n${Array.from({length: depth}, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n')} x\n`;
			return true;
		},
	},
	{
		name: 'over the size limit',
		apply: (rng, input) => {
			const pad = 1024 * 1024 + int(rng, 4096);
			input.text = pick(rng, [() => `${input.text}\n# ${'x'.repeat(pad)}\n`, () => `description: "${'y'.repeat(pad)}"\n${input.text.replace(/^description:.*$/m, '')}`])();
			return true;
		},
	},
	{
		name: 'an alias inside its own anchor',
		apply: (_, input) => {
			if (!/^service:$/m.test(input.text)) return false;
			input.text = input.text.replace(/^service:$/m, 'service: &svc\n  again: *svc');
			return true;
		},
	},
	{
		name: 'an alias to an anchor that does not exist',
		apply: (_, input) => {
			input.text = `name: *nowhere\n${input.text.replace(/^name:.*$/m, '')}`;
			return true;
		},
	},
	{
		name: 'a billion laughs',
		apply: (_, input) => {
			let laughs = 'laughs:\n  l0: &l0 [ha, ha, ha, ha, ha, ha, ha, ha, ha, ha]\n';
			for (let i = 1; i < 9; i++) laughs += `  l${i}: &l${i} [${Array.from({length: 10}, () => `*l${i - 1}`).join(', ')}]\n`;
			input.text = `${laughs}${input.text}`;
			return true;
		},
	},
	{
		name: 'a second document',
		apply: (_, input) => {
			input.text = `${input.text}\n---\nname: other\n`;
			return true;
		},
	},
	{
		name: 'a key written twice',
		apply: (_, input) => {
			input.text = `${input.text}\ntwice: 1\ntwice: 2\n`;
			return true;
		},
	},
];

/** One generated recipe: the mutations applied, its text, and whether it must come out invalid. */
export type Case = {index: number; mutations: string[]; text: string; invalid: boolean};

const examples = readdirSync('recipes')
	.filter(f => f.endsWith('.yaml'))
	.sort()
	.map(f => parse(readFileSync(`recipes/${f}`, 'utf8')) as Json);

/** The number-like text raw in the YAML, in place of the marker and the quotes stringify put around it. */
function unmark(text: string): string {
	return text.replace(new RegExp(`["']?${numberMarker}([^"'\\n]*)["']?`, 'g'), '$1');
}

/** Each example recipe with each number-like text typed raw as `FUZZ_NUMBER` of its first container. */
export function numberLikeCases(): Array<{text: string; raw: string}> {
	return examples.flatMap(example =>
		numberLikeText.map(raw => {
			const recipe = structuredClone(example);
			const container = recipe['service']['containers'][0];
			container['environment'] = {...(container['environment'] ?? {}), FUZZ_NUMBER: `${numberMarker}${raw}`};
			return {text: unmark(stringify(recipe, {lineWidth: 0})), raw};
		}),
	);
}

/** `count` cases from `seed`. */
export function generate(seed: number, count: number): Case[] {
	const rng = mulberry32(seed);
	const cases: Case[] = [];
	for (let index = 0; index < count; index++) {
		const recipe = structuredClone(pick(rng, examples));
		const mutations: string[] = [];
		const apply = <T>(list: Array<Mutation<T>>, input: T) => {
			const mutation = pick(rng, list);
			if (mutation.apply(rng, input)) mutations.push(mutation.name);
			return mutations.at(-1) === mutation.name;
		};
		for (let n = int(rng, 3); n > 0; n--) apply(neutralObject, recipe);
		const mode = int(rng, 3);
		let invalid = false;
		if (mode === 0) invalid = apply(invalidObject, recipe);
		// The number-like text goes in raw, as a person would type it (stringify would quote it).
		const input = {text: unmark(stringify(recipe, {lineWidth: 0}))};
		if (mode === 1) invalid = apply(invalidText, input);
		// Text noise only where nothing must stay invalid: truncation could cut an invalid part away.
		if (mode === 2) for (let n = 1 + int(rng, 2); n > 0; n--) apply(neutralText, input);
		cases.push({index, mutations, text: input.text, invalid});
	}
	return cases;
}


