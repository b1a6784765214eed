import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {parseSync} from 'oxc-parser';
import {describe, expect, test} from 'vitest';

/*
 * The layers and what each may import, read from every import of every source file (static, dynamic,
 * re-exports; type-only imports told apart): domain ← io, store ← aws ← engine ← ui, headless ← cli.
 * The domain is pure; the engine never touches the file system (it has a port for files); screens never
 * reach AWS, files or the store but through the engine.
 */

type Layer = 'domain' | 'io' | 'store' | 'aws' | 'engine' | 'ui' | 'headless' | 'cli';

function layerOf(file: string): Layer {
	const [top] = file.split('/');
	if (top === 'domain' || file === 'exit-codes.ts') return 'domain';
	if (top === 'io' || top === 'store' || top === 'aws' || top === 'engine' || top === 'ui' || top === 'headless') return top;
	if (file === 'unexpected.ts') return 'cli';
	return 'cli';
}

/** Which layers a layer may import values from. Type-only imports may also name the AWS ports. */
const allowed: Record<Layer, readonly Layer[]> = {
	domain: ['domain'],
	io: ['domain', 'io'],
	store: ['domain', 'io', 'store'],
	aws: ['domain', 'io', 'aws'],
	engine: ['domain', 'io', 'store', 'aws', 'engine'],
	ui: ['domain', 'engine', 'ui'],
	headless: ['domain', 'engine', 'headless'],
	cli: ['domain', 'io', 'store', 'aws', 'engine', 'ui', 'headless', 'cli'],
};

/** Packages a layer must not import (values or types). */
const bannedPackages: Partial<Record<Layer, RegExp>> = {
	domain: /^(ink|react|ink-[a-z-]+|@aws-sdk\/.*|(node:)?fs(\/promises)?|(node:)?child_process)$/,
	engine: /^(ink|react|ink-[a-z-]+|@aws-sdk\/.*|(node:)?fs(\/promises)?)$/,
	ui: /^@aws-sdk\/.*$/,
	headless: /^(ink|react|ink-[a-z-]+)$/,
	store: /^(ink|react|ink-[a-z-]+)$/,
	io: /^(ink|react|ink-[a-z-]+|@aws-sdk\/.*)$/,
};

/** The ui may import these files of lower layers: the app's own entry wires its terminal, and its catalog reads the recipe files. */
const exceptions: ReadonlyArray<[from: string, to: string]> = [
	['ui/run.tsx', 'io/terminal.ts'],
	['ui/file-catalog.ts', 'io/recipe-files.ts'],
	['ui/file-catalog.ts', 'io/recipe-folder.ts'],
	['ui/file-catalog.ts', 'io/file-cache.ts'],
	['ui/run.tsx', 'unexpected.ts'],
	['headless/output.ts', 'io/terminal.ts'],
];

type Import = {specifier: string; typeOnly: boolean};

type Node = {type: string; [key: string]: unknown};
type Literal = {type: 'Literal'; value: unknown};

const literalText = (node: unknown): string | undefined => {
	const literal = node as Literal | undefined;
	return literal?.type === 'Literal' && typeof literal.value === 'string' ? literal.value : undefined;
};

/** Every node of an ESTree program, depth first. */
function* nodesOf(value: unknown): Generator<Node> {
	if (Array.isArray(value)) {
		for (const item of value) yield* nodesOf(item);
	} else if (value !== null && typeof value === 'object') {
		if (typeof (value as Node).type === 'string') yield value as Node;
		for (const [key, child] of Object.entries(value)) if (key !== 'parent') yield* nodesOf(child);
	}
}

/** What a file imports: static imports and re-exports, `import()` calls and `import('…')` types, with whether each is for types only. */
function importsOf(text: string, file: string): Import[] {
	const {program, errors} = parseSync(file, text);
	if (errors.length > 0) throw new Error(`${file} does not parse: ${errors.map(e => e.message).join('; ')}`);
	const found: Import[] = [];
	for (const node of nodesOf(program)) {
		if (node.type === 'ImportDeclaration') {
			const specifiers = node['specifiers'] as Array<{type: string; importKind?: string}>;
			const named = specifiers.length > 0 && specifiers.every(s => s.type === 'ImportSpecifier' && s.importKind === 'type');
			const specifier = literalText(node['source']);
			if (specifier !== undefined) found.push({specifier, typeOnly: node['importKind'] === 'type' || named});
		} else if (node.type === 'ExportNamedDeclaration' || node.type === 'ExportAllDeclaration') {
			const specifier = literalText(node['source']);
			if (specifier !== undefined) found.push({specifier, typeOnly: node['exportKind'] === 'type'});
		} else if (node.type === 'ImportExpression') {
			const specifier = literalText(node['source']);
			if (specifier !== undefined) found.push({specifier, typeOnly: false});
		} else if (node.type === 'TSImportType') {
			const specifier = literalText(node['source']) ?? literalText((node['argument'] as {literal?: unknown} | undefined)?.literal) ?? literalText(node['argument']);
			if (specifier !== undefined) found.push({specifier, typeOnly: true});
		}
	}
	return found;
}

const root = 'source';
const files = (await readdir(root, {recursive: true})).filter(f => /\.tsx?$/.test(f)).map(f => f.split(path.sep).join('/'));

function resolve(from: string, specifier: string): string | undefined {
	const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
	const base = target.replace(/\.js$/, '');
	return files.find(f => f === `${base}.ts` || f === `${base}.tsx`);
}

/** What a file imports across the layers (empty when it keeps to its own). */
function violations(file: string, text: string): string[] {
	const layer = layerOf(file);
	const wrong: string[] = [];
	for (const {specifier, typeOnly} of importsOf(text, file)) {
		if (!specifier.startsWith('.')) {
			if (bannedPackages[layer]?.test(specifier) && !(typeOnly && layer === 'engine' && specifier.startsWith('@aws-sdk/'))) wrong.push(`${specifier} (a package the ${layer} layer must not use)`);
			continue;
		}
		const target = resolve(file, specifier);
		if (!target) continue;
		const to = layerOf(target);
		if (allowed[layer].includes(to)) continue;
		if (typeOnly && target === 'aws/ports.ts') continue;
		if (exceptions.some(([a, b]) => a === file && b === target)) continue;
			wrong.push(`${target} (${layer} → ${to}${typeOnly ? ', types' : ''})`);
		}
	return wrong;
}

describe('layers', () => {
	test.each(files)('%s imports only what its layer may', async file => {
		expect(violations(file, await readFile(path.join(root, file), 'utf8')), `${file} imports across the layers`).toEqual([]);
	});
});

describe('the domain stays pure', () => {
	test.each(files.filter(f => layerOf(f) === 'domain'))('%s has no clock, timers or process', async file => {
		expect(await readFile(path.join(root, file), 'utf8')).not.toMatch(/Date\.now\(|new Date\(\)|set(Timeout|Interval)\(|process\./);
	});
});

describe('the checker itself', () => {
	test('sees static, dynamic, re-exported and type-only imports', () => {
		const found = importsOf("import a from './a.js';\nimport type {B} from './b.js';\nimport {type C} from './c.js';\nexport {d} from './d.js';\nconst e = await import('./e.js');\ntype F = import('./f.js').F;", 'x.ts');
		expect(found).toEqual([
			{specifier: './a.js', typeOnly: false},
			{specifier: './b.js', typeOnly: true},
			{specifier: './c.js', typeOnly: true},
			{specifier: './d.js', typeOnly: false},
			{specifier: './e.js', typeOnly: false},
			{specifier: './f.js', typeOnly: true},
		]);
	});

	test('finds what crosses the layers, dynamic imports and packages included', () => {
		expect(violations('domain/x.ts', "import {readFile} from 'node:fs/promises';\nconst e = await import('../engine/engine.js');")).toEqual(['node:fs/promises (a package the domain layer must not use)', 'engine/engine.ts (domain → engine)']);
		expect(violations('ui/x.tsx', "import type {AwsPorts} from '../aws/ports.js';\nimport {createAwsPorts} from '../aws/clients.js';")).toEqual(['aws/clients.ts (ui → aws)']);
		expect(violations('engine/x.ts', "import {readFile} from 'fs';")).toEqual(['fs (a package the engine layer must not use)']);
		// Types count too: an import('…') type, named imports that are all types, a type re-export.
		expect(violations('domain/x.ts', "type E = import('../engine/engine.js').Engine;\nimport {type Route, type Screen} from '../ui/navigation.js';\nexport type {Workspace} from '../engine/core/workspace.js';")).toEqual(['engine/engine.ts (domain → engine, types)', 'ui/navigation.ts (domain → ui, types)', 'engine/core/workspace.ts (domain → engine, types)']);
	});

	test('places files in their layers', () => {
		expect(['domain/serving.ts', 'exit-codes.ts', 'io/files.ts', 'engine/deploy-release.ts', 'ui/app.tsx', 'cli.tsx', 'composition.ts'].map(layerOf)).toEqual(['domain', 'domain', 'io', 'engine', 'ui', 'cli', 'cli']);
	});
});
