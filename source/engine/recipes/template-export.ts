import {hasErrors, type Problem} from '../../domain/problems.js';
import {buildTemplate} from '../../domain/template/build.js';
import {renderTemplate} from '../../domain/template/render.js';
import type {EngineDeps} from '../core/deps.js';
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
