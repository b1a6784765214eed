import {lstat, open, realpath, stat as statOf} from 'node:fs/promises';
import path from 'node:path';
import {hasErrors, type Problem} from '../domain/problems.js';
import {buildTemplate} from '../domain/template/build.js';
import {renderTemplate} from '../domain/template/render.js';
import type {EngineDeps} from './deps.js';
import {validateRecipe, type ValidateInput} from './validate.js';

export type TemplateText = {
	text?: string;
	stackName?: string;
	/** Problems of the recipe for the environment (the text is absent when any is an error). */
	problems: Problem[];
	/** Parameters that still need a value when the template is deployed by hand. */
	notes: string[];
};

/** The CloudFormation template of an environment, as YAML or JSON text (for the preview and `export`). */
export async function templateText(input: ValidateInput, format: 'yaml' | 'json', deps: EngineDeps): Promise<TemplateText> {
	const prepared = await validateRecipe(input, deps);
	if (!prepared.resolved || hasErrors(prepared.problems)) return {problems: prepared.problems, notes: []};
	const built = buildTemplate(prepared.resolved);
	const notes = [
		...built.imageParametersWithoutDefault.map(p => `parameter ${p} has no default (no tag chosen): give it a value when you deploy the template`),
		...built.secretParameters.map(s => `parameter ${s.parameter} (NoEcho) carries sensitive variable ${s.variable}: give it a value when you deploy the template`),
	];
	return {text: renderTemplate(built.template, format), stackName: built.stackName, problems: prepared.problems, notes};
}

/**
 * Writes text to a file, carefully: never over the recipe itself, never through a symbolic link, never over
 * an existing file unless `force`. Returns a problem to show, or undefined when written.
 */
export async function writeNewFile(out: string, text: string, options: {recipeFile: string; force: boolean}): Promise<string | undefined> {
	const refused = await refuseToWrite(out, options.recipeFile, options.force);
	if (refused) return refused;
	try {
		// `wx` creates the file and fails if something (a file, a symlink) appeared meanwhile; --force truncates a regular file.
		const handle = await open(out, options.force ? 'w' : 'wx', 0o644);
		await handle.writeFile(text);
		await handle.close();
		return undefined;
	} catch (cause) {
		return `cannot write ${out}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`;
	}
}

async function refuseToWrite(out: string, recipe: string, force: boolean): Promise<string | undefined> {
	const stat = await lstat(out).catch(() => undefined);
	if (!stat) return undefined;
	if (stat.isSymbolicLink()) return `${out} is a symbolic link; write to the file itself`;
	if (!stat.isFile()) return `${out} is not a regular file`;
	const [a, b] = await Promise.all([realpath(out).catch(() => path.resolve(out)), realpath(recipe).catch(() => path.resolve(recipe))]);
	// A hard link of the recipe has another path but the same file (device and inode): writing it is writing the recipe.
	const recipeStat = await statOf(recipe).catch(() => undefined);
	if (a === b || (recipeStat !== undefined && recipeStat.dev === stat.dev && recipeStat.ino === stat.ino)) return `${out} is the recipe itself; write the template to another file`;
	if (!force) return `${out} exists; pass --force to overwrite it`;
	return undefined;
}
