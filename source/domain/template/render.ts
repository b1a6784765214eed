import {stringify} from 'yaml';
import type {CfnTemplate} from './types.js';

/**
 * Renders a template as YAML (block style, no line folding, so it diffs well) or JSON.
 * Key order is the builder's, which is deterministic.
 */
export function renderTemplate(template: CfnTemplate, format: 'yaml' | 'json'): string {
	if (format === 'json') return `${JSON.stringify(template, null, 2)}\n`;
	// YAML 1.1 quoting: CloudFormation reads 2010-09-09 or yes unquoted as a date or a boolean.
	return stringify(template, {version: '1.1', lineWidth: 0, aliasDuplicateObjects: false});
}
