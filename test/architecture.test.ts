import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';
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

/** The ui may import these files of lower layers: the app's own entry wires its terminal and its catalog. */
const exceptions: ReadonlyArray<[from: string, to: string]> = [
	['ui/run.tsx', 'io/terminal.ts'],
	['ui/run.tsx', 'io/recipe-files.ts'],
	['ui/run.tsx', 'io/recipe-folder.ts'],
	['ui/run.tsx', 'io/file-cache.ts'],
	['ui/run.tsx', 'unexpected.ts'],
	['headless/output.ts', 'io/terminal.ts'],
];

type Import = {specifier: string; typeOnly: boolean};

function importsOf(text: string, file: string): Import[] {
	const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
	const found: Import[] = [];
	const visit = (node: ts.Node) => {
		if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
			const typeOnly = ts.isImportDeclaration(node) ? Boolean(node.importClause?.isTypeOnly) || allNamedTypeOnly(node.importClause) : node.isTypeOnly;
			found.push({specifier: node.moduleSpecifier.text, typeOnly});
		} else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
			found.push({specifier: node.arguments[0].text, typeOnly: false});
		} else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
			found.push({specifier: node.argument.literal.text, typeOnly: true});
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return found;
}

function allNamedTypeOnly(clause: ts.ImportClause | undefined): boolean {
	if (!clause || clause.name || !clause.namedBindings || !ts.isNamedImports(clause.namedBindings)) return false;
	return clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every(e => e.isTypeOnly);
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
	});

	test('places files in their layers', () => {
		expect(['domain/serving.ts', 'exit-codes.ts', 'io/files.ts', 'engine/deploy-release.ts', 'ui/app.tsx', 'cli.tsx', 'composition.ts'].map(layerOf)).toEqual(['domain', 'domain', 'io', 'engine', 'ui', 'cli', 'cli']);
	});
});
