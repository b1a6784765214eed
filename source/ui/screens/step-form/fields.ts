import type {Document} from 'yaml';
import {setField, type Path} from '../../../domain/recipe/edit.js';
import {managedPolicyPattern, stackNamePattern, tagCharacters} from '../../../domain/recipe/rules.js';
import {
	absolutePathPattern,
	accessPointIdPattern,
	accountIdPattern,
	beforeDeployNamePattern,
	channelNamePattern,
	environmentNamePattern,
	environmentVariableNamePattern,
	fileSystemIdPattern,
	imageRefPattern,
	listenerRuleArnPattern,
	loadBalancerArnPattern,
	platformVersionPattern,
	portNamePattern,
	projectNamePattern,
	regionPattern,
	resourceNamePattern,
	roleArnPattern,
	schedulePattern,
	securityGroupIdPattern,
	streamPrefixPattern,
	subnetIdPattern,
	targetGroupArnPattern,
} from '../../../domain/recipe/schema.js';
import {formatPath} from '../../../domain/problems.js';
import {variableNamePattern} from '../../../domain/variables.js';

/*
 * The step form's fields: how a value is shown, what may be typed or chosen, and how it is written back.
 * Each field checks what is typed where it is typed (numbers are whole numbers in range, names follow the
 * schema's rules); the validator then checks the recipe as a whole. Pure.
 */

/** What was typed or chosen: the value to write (`undefined` deletes the field), or why it cannot be. */
export type Parsed = {ok: true; value: unknown} | {ok: false; error: string};

/** A choice of a select: `value` identifies it, `data` is what is written (default: `value`; `''` deletes). */
export type Option = {value: string; label: string; data?: unknown};

/** An editable field of a row. */
export type Field = {
	kind: 'text' | 'select';
	/** The text the edit starts from (for a select: the value of the option selected first). */
	initial: string;
	options?: readonly Option[];
	/** A line shown while the field is edited (what is allowed). */
	hint?: string;
	parse(text: string): Parsed;
	/** Writes the parsed value; returns a problem when it cannot (a name taken). */
	write(document: Document, value: unknown): string | undefined;
};

/** Shows a value the way it is written in YAML, in one line. */
export function display(value: unknown): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'boolean') return value ? 'yes' : 'no';
	if (Array.isArray(value) && value.every(v => v === null || typeof v !== 'object')) return value.map(v => display(v)).join(', ');
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value);
}

/** A `#{Variable}` expression: service fields may hold one, checked once substituted per environment. */
export const bound = (text: string) => /#\{[^}]*\}/.test(text);

const ok = (value: unknown): Parsed => ({ok: true, value});
const fail = (error: string): Parsed => ({ok: false, error});

/** A rule on typed text: the pattern and the words saying what is allowed. */
export type Rule = {pattern: RegExp; says: string};

export const rules = {
	project: {pattern: projectNamePattern, says: 'a letter, then letters, digits and -; at most 64 characters'},
	environment: {pattern: environmentNamePattern, says: 'a letter, then letters, digits, _ and -; at most 32 characters'},
	imageRef: {pattern: imageRefPattern, says: 'a letter, then letters, digits, _ and -'},
	name255: {pattern: resourceNamePattern, says: 'letters, digits, _ and -; at most 255 characters'},
	stackName: {pattern: stackNamePattern, says: 'a letter, then letters, digits and -; at most 128 characters'},
	roleArn: {pattern: roleArnPattern, says: 'an IAM role ARN: arn:aws:iam::123456789012:role/name'},
	managedPolicy: {pattern: managedPolicyPattern, says: "a managed policy: its ARN (arn:aws:iam::123456789012:policy/name) or its name (in the stack's account)"},
	subnet: {pattern: subnetIdPattern, says: 'subnet ids: subnet- and 8 to 17 hex digits'},
	securityGroup: {pattern: securityGroupIdPattern, says: 'security group ids: sg- and 8 to 17 hex digits'},
	account: {pattern: accountIdPattern, says: '12 digits'},
	region: {pattern: regionPattern, says: 'a region such as eu-west-1'},
	portName: {pattern: portNamePattern, says: 'lower-case letters, digits and -; at most 64 characters'},
	envName: {pattern: environmentVariableNamePattern, says: 'a name without spaces or ='},
	absolutePath: {pattern: absolutePathPattern, says: 'an absolute path (starting with /)'},
	fileSystem: {pattern: fileSystemIdPattern, says: 'an EFS file system id: fs- and hex digits'},
	accessPoint: {pattern: accessPointIdPattern, says: 'an EFS access point id: fsap- and hex digits'},
	targetGroup: {pattern: targetGroupArnPattern, says: 'a target group ARN (usually a #{Variable} scoped to each environment)'},
	listenerRule: {pattern: listenerRuleArnPattern, says: 'an ALB listener rule ARN or an ALB/NLB listener ARN'},
	loadBalancer: {pattern: loadBalancerArnPattern, says: 'an Application Load Balancer ARN'},
	platformVersion: {pattern: platformVersionPattern, says: 'LATEST or a version such as 1.4.0'},
	schedule: {pattern: schedulePattern, says: 'cron(…), rate(1 day) or at(2027-01-01T00:00:00)'},
	scheduleName: {pattern: /^[A-Za-z0-9_.-]{1,256}$/, says: 'letters, digits, _ . and -; at most 256 characters'},
	tagText: {pattern: tagCharacters, says: 'letters, digits, spaces and _ . : / = + - @'},
	streamPrefix: {pattern: streamPrefixPattern, says: 'no : or *; at most 512 characters'},
	variable: {pattern: variableNamePattern, says: 'a letter or _, then letters, digits, _ . and -'},
	channel: {pattern: channelNamePattern, says: 'a letter or digit, then letters, digits, _ . and -; at most 63 characters'},
	/** Log driver and FireLens option names (the schema takes any key; a space in one is a typo). */
	optionName: {pattern: /^\S+$/, says: 'a name without spaces'},
	beforeDeployName: {pattern: beforeDeployNamePattern, says: 'a letter or digit, then letters, digits, _ and -; at most 32 characters'},
} as const satisfies Record<string, Rule>;

export type TextOptions = {
	/** Empty text deletes the field. @default false (empty is refused) */
	optional?: boolean;
	rule?: Rule;
	/** `#{Variable}` expressions pass (service fields). @default false */
	bindable?: boolean;
	/** Longest text. @default 2048 */
	max?: number;
	hint?: string;
	/** A check of the typed text after the rule: why it cannot be, or undefined. */
	check?: (text: string) => string | undefined;
	write?: Field['write'];
};

const writeAt =
	(path: Path): Field['write'] =>
	(document, value) => {
		setField(document, path, value);
		return undefined;
	};

/** A text field: trimmed, checked against its rule (unless it holds a `#{Variable}` and may). */
export function textField(path: Path, value: unknown, options: TextOptions = {}): Field {
	return {
		kind: 'text',
		initial: display(value),
		...(options.hint || options.rule ? {hint: options.hint ?? options.rule?.says} : {}),
		parse: typed => parseText(typed, options),
		write: options.write ?? writeAt(path),
	};
}

export function parseText(typed: string, options: TextOptions): Parsed {
	const text = typed.trim();
	if (text === '') return options.optional ? ok(undefined) : fail('is required');
	if (text.length > (options.max ?? 2048)) return fail(`at most ${options.max ?? 2048} characters`);
	if (options.bindable && bound(text)) return ok(text);
	if (options.rule && !options.rule.pattern.test(text)) return fail(`must be ${options.rule.says}`);
	const problem = options.check?.(text);
	return problem === undefined ? ok(text) : fail(problem);
}

export type NumberOptions = {min: number; max: number; optional?: boolean; bindable?: boolean; unit?: string; write?: Field['write']};

/** A whole-number field in a range; service fields may hold a `#{Variable}` instead. */
export function numberField(path: Path, value: unknown, options: NumberOptions): Field {
	return {
		kind: 'text',
		initial: display(value),
		hint: `a whole number from ${options.min} to ${options.max}${options.unit ? ` ${options.unit}` : ''}${options.optional ? '; empty: not set' : ''}`,
		parse: typed => parseNumber(typed, options),
		write: options.write ?? writeAt(path),
	};
}

export function parseNumber(typed: string, options: NumberOptions): Parsed {
	const text = typed.trim();
	if (text === '') return options.optional ? ok(undefined) : fail('is required');
	if (options.bindable && bound(text)) return ok(text);
	if (!/^-?\d+$/.test(text)) return fail(`must be a whole number from ${options.min} to ${options.max}`);
	const number = Number(text);
	if (number < options.min || number > options.max) return fail(`must be from ${options.min} to ${options.max}`);
	return ok(number);
}

/** A number with decimals in a range (traffic percentages); a `#{Variable}` where the field may hold one. */
export function decimalField(path: Path, value: unknown, options: NumberOptions): Field {
	return {
		kind: 'text',
		initial: display(value),
		hint: `a number from ${options.min} to ${options.max}${options.unit ? ` ${options.unit}` : ''}${options.optional ? '; empty: not set' : ''}`,
		parse: typed => parseDecimal(typed, options),
		write: options.write ?? writeAt(path),
	};
}

export function parseDecimal(typed: string, options: NumberOptions): Parsed {
	const text = typed.trim();
	if (text === '') return options.optional ? ok(undefined) : fail('is required');
	if (options.bindable && bound(text)) return ok(text);
	if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(text)) return fail(`must be a number from ${options.min} to ${options.max}`);
	const number = Number(text);
	if (number < options.min || number > options.max) return fail(`must be from ${options.min} to ${options.max}`);
	return ok(number);
}

/** The option that leaves a field out of the recipe, so its default applies. */
export const unset = (label: string): Option => ({value: '', label});

/**
 * A select: the value is one of the options. A value written in the recipe that is none of them (a
 * `#{Variable}`, a mistake) is offered too, as it is, so opening the list never changes it.
 */
export function selectField(path: Path, value: unknown, options: readonly Option[], write?: Field['write']): Field {
	const current = value === undefined || value === null ? '' : String(value);
	const all = options.some(o => o.value === current) ? options : [...options, {value: current, label: `${display(value)} (as written)`, data: value}];
	return {
		kind: 'select',
		initial: current,
		options: all,
		parse: chosen => {
			const option = all.find(o => o.value === chosen);
			if (!option) return fail('choose one of the list');
			return ok(option.value === '' ? undefined : 'data' in option ? option.data : option.value);
		},
		write: write ?? writeAt(path),
	};
}

/** Yes/no, with "not set" showing the default. */
export function yesNoField(path: Path, value: unknown, defaultYes: boolean): Field {
	return selectField(path, value, [unset(`not set (${defaultYes ? 'yes' : 'no'})`), {value: 'true', label: 'yes', data: true}, {value: 'false', label: 'no', data: false}]);
}

/** A list of words typed comma-separated (subnets, security groups, files), each checked. */
export function listField(path: Path, value: unknown, options: {rule?: Rule; optional?: boolean; max?: number; bindable?: boolean}): Field {
	return {
		kind: 'text',
		initial: display(value),
		hint: `comma-separated${options.rule ? `, ${options.rule.says}` : ''}${options.max ? `; at most ${options.max}` : ''}`,
		parse: typed => parseList(typed, options),
		write: (document, list) => {
			setField(document, path, list);
			return undefined;
		},
	};
}

export function parseList(typed: string, options: {rule?: Rule; optional?: boolean; max?: number; bindable?: boolean}): Parsed {
	const items = typed
		.split(',')
		.map(item => item.trim())
		.filter(Boolean);
	if (items.length === 0) return ok(options.optional ? undefined : []);
	if (options.max !== undefined && items.length > options.max) return fail(`at most ${options.max}`);
	const wrong = items.find(item => !(options.bindable && bound(item)) && options.rule && !options.rule.pattern.test(item));
	if (wrong !== undefined) return fail(`${JSON.stringify(wrong)}: must be ${options.rule?.says}`);
	return ok(items);
}

/**
 * A command line: a JSON list (`["CMD", "/bin/check"]`) is kept as a list; other text is a list of words
 * (`node server.js`), or, for a health check, one shell command.
 */
export function parseCommand(typed: string, options: {shell: boolean; optional: boolean}): Parsed {
	const text = typed.trim();
	if (text === '') return options.optional ? ok(undefined) : fail('is required');
	if (text.startsWith('[')) {
		try {
			const list: unknown = JSON.parse(text);
			if (Array.isArray(list) && list.every(item => typeof item === 'string')) return ok(list);
		} catch {
			// Not JSON: taken as words below.
		}
		return fail('a list is written as JSON: ["CMD", "/bin/check"]');
	}
	return ok(options.shell ? text : text.split(/\s+/));
}

/** Shows a command: a list as JSON when its words hold spaces, else the words. */
export function displayCommand(value: unknown): string {
	if (Array.isArray(value)) return value.some(v => typeof v !== 'string' || /\s|"/.test(v)) ? JSON.stringify(value) : value.join(' ');
	return display(value);
}

/** A `NAME=value` entry of a mapping (environment variables, log options). */
export function parseEntry(typed: string, rule: Rule = rules.envName): Parsed {
	const at = typed.indexOf('=');
	const key = (at === -1 ? typed : typed.slice(0, at)).trim();
	const value = at === -1 ? '' : typed.slice(at + 1).trim();
	if (key === '') return fail('type NAME=value');
	if (!rule.pattern.test(key)) return fail(`the name must be ${rule.says}`);
	return ok({key, value});
}

/** A row's path as the validator writes it (`service.containers[0].ports[0].containerPort`). */
export const pathText = (path: Path) => formatPath(path);
