import type {Key} from 'ink';

/**
 * A key: a printable character (`d`, `?`, `/`), one of Ink's key names (`escape`, `return`, `upArrow`,
 * `pageDown`, `home`, `tab`, …), or `ctrl+<letter>`.
 */
export type KeyName = string;

/** A command's keys, the short hint the footer shows and the line the help overlay shows. */
export type Binding = {keys: readonly KeyName[]; hint: string; help: string};

/**
 * Every key the app answers, in one table: handlers match keys through it and the footer and the help
 * overlay render from it, so what is shown cannot drift from what works.
 */
export const keymap = {
	// Everywhere
	quit: {keys: ['q', 'ctrl+c'], hint: 'q quit', help: 'quit (asks first while a deploy is being watched; the deploy goes on in AWS)'},
	help: {keys: ['?'], hint: '? help', help: 'show the keys of this screen'},
	back: {keys: ['escape'], hint: 'esc back', help: 'go back (asks before dropping changes)'},
	// Lists
	up: {keys: ['upArrow', 'k'], hint: '↑↓ move', help: 'move up (also k)'},
	down: {keys: ['downArrow', 'j'], hint: '↑↓ move', help: 'move down (also j)'},
	pageUp: {keys: ['pageUp'], hint: 'pgup/pgdn page', help: 'one page up'},
	pageDown: {keys: ['pageDown'], hint: 'pgup/pgdn page', help: 'one page down'},
	first: {keys: ['home'], hint: 'home/end', help: 'first item'},
	last: {keys: ['end'], hint: 'home/end', help: 'last item'},
	filter: {keys: ['/'], hint: '/ filter', help: 'type to filter the list (Enter keeps the filter, Esc clears it)'},
	choose: {keys: ['return'], hint: '↵ choose', help: 'choose the selected item'},
	left: {keys: ['leftArrow'], hint: '←→ environment', help: 'previous environment'},
	right: {keys: ['rightArrow'], hint: '←→ environment', help: 'next environment'},
	// Dashboard
	open: {keys: ['return'], hint: '↵ open', help: 'open the project (or attach to the operation in progress)'},
	targets: {keys: ['t'], hint: 't targets', help: 'ECS cluster targets: add, edit, remove, verify'},
	newRecipe: {keys: ['n'], hint: 'n new recipe', help: 'write a new recipe in the step form'},
	useSandbox: {keys: ['s'], hint: 's sandbox', help: 'use the sandbox, a simulated AWS account, for every environment (saved as a target marked as the sandbox)'},
	// Project
	deploy: {keys: ['d'], hint: 'd deploy', help: 'deploy: pick the images, create the release, pick the environment, preview, apply'},
	createRelease: {keys: ['c'], hint: 'c release', help: 'create a release only'},
	rollback: {keys: ['r'], hint: 'r roll back', help: 'roll the environment back to an earlier release'},
	history: {keys: ['h'], hint: 'h history', help: 'deployments, stack events and the stack of an environment'},
	edit: {keys: ['e'], hint: 'e edit', help: 'edit the recipe in the step form'},
	preview: {keys: ['p'], hint: 'p template', help: 'preview the CloudFormation template of an environment'},
	attach: {keys: ['return'], hint: '↵ attach', help: 'attach to the operation in progress'},
	redeploy: {keys: ['R'], hint: 'R redeploy', help: 'redeploy the current release (a fresh ECS deployment, new tasks)'},
	// Confirmations
	yes: {keys: ['y'], hint: 'y yes', help: 'yes'},
	no: {keys: ['n', 'escape'], hint: 'n no', help: 'no (also Esc)'},
	// Targets
	add: {keys: ['a'], hint: 'a add', help: 'add a target'},
	remove: {keys: ['x'], hint: 'x remove', help: 'remove the selected target (asks first)'},
	verify: {keys: ['v'], hint: 'v verify', help: 'check the target live: credentials and cluster'},
	// Forms
	next: {keys: ['return'], hint: '↵ next', help: 'accept the field and go to the next step'},
	nextField: {keys: ['tab', 'downArrow'], hint: 'tab next field', help: 'next field'},
	previousField: {keys: ['upArrow'], hint: '↑ previous field', help: 'previous field'},
	save: {keys: ['ctrl+s'], hint: '^s save', help: 'save (shows the changes first)'},
	write: {keys: ['w'], hint: 'w write to file', help: 'write the template to a file'},
	environment: {keys: ['tab'], hint: 'tab environment', help: 'next environment'},
	// Live view
	nextPane: {keys: ['tab'], hint: 'tab pane', help: 'move focus to the next pane'},
	detach: {keys: ['d'], hint: 'd detach', help: 'stop watching; the deploy goes on in AWS (attach again from the dashboard)'},
	cancel: {keys: ['c'], hint: 'c cancel', help: 'cancel the deploy (asks; an update is rolled back to the previous release)'},
	promote: {keys: ['p'], hint: 'p promote', help: 'deploy this release to the next environment'},
	details: {keys: ['return'], hint: '↵ details', help: 'show the selected row whole'},
	// Targets list and target wizard
	editTarget: {keys: ['e', 'return'], hint: 'e/↵ edit', help: 'edit the selected target (also Enter)'},
	previousStep: {keys: ['shift+tab'], hint: '⇧tab back', help: 'back one step, keeping what was typed'},
	tick: {keys: [' '], hint: 'space tick', help: 'tick or untick the item under the cursor'},
	saveTarget: {keys: ['return'], hint: '↵ save', help: 'save the target (also when a check failed: the cluster may come later)'},
	leaveWizard: {keys: ['escape'], hint: 'esc cancel', help: 'leave the wizard (asks before dropping what was typed)'},
	// History browser and rollback
	deploymentsView: {keys: ['1'], hint: '1-3 view', help: 'deployments of the environment, newest first'},
	eventsView: {keys: ['2'], hint: '1-3 view', help: 'stack events by operation, and the ECS side'},
	stackView: {keys: ['3'], hint: '1-3 view', help: 'the stack: status, outputs, parameters, resources, template'},
	nextView: {keys: ['tab'], hint: 'tab view', help: 'next view'},
	deploymentEvents: {keys: ['return'], hint: '↵ its events', help: 'the stack events of the selected deployment'},
	ecsSide: {keys: ['e'], hint: 'e ECS side', help: 'switch between the stack events and the ECS side (deployments, stopped tasks)'},
	resourceFilter: {keys: ['f'], hint: 'f this resource', help: "only the selected event's resource (again: every resource)"},
	statusFilter: {keys: ['s'], hint: 's status', help: 'only events of one kind of status: failed, rollback, in progress, complete, all'},
	retry: {keys: ['r'], hint: 'r retry', help: 'ask AWS again'},
	tryAgain: {keys: ['t'], hint: 't try again', help: 'start the same run again (after an error)'},
	continueRollback: {keys: ['r'], hint: 'r continue rollback', help: 'continue the rollback of a stack stuck in UPDATE_ROLLBACK_FAILED (the service keeps running)'},
	// Step form (edit a recipe, write a new one)
	formSections: {keys: ['leftArrow'], hint: '← sections', help: 'go back to the list of sections'},
	formFields: {keys: ['rightArrow', 'tab', 'return'], hint: '→ fields', help: "go to the section's fields (also Tab and Enter)"},
	formEdit: {keys: ['return'], hint: '↵ edit', help: 'edit the field: type, Enter accepts, Esc cancels; a choice opens a short list; on a container, opens it'},
	formAdd: {keys: ['a'], hint: 'a add', help: 'add an item to the list under the cursor (a container, a port, a variable, a tag…)'},
	formRemove: {keys: ['x'], hint: 'x remove', help: 'remove the item under the cursor (asks first)'},
	formMoveUp: {keys: ['['], hint: '[ ] reorder', help: 'move the item under the cursor up (containers, ports, tags, volumes…)'},
	formMoveDown: {keys: [']'], hint: '[ ] reorder', help: 'move the item under the cursor down'},
	formAccept: {keys: ['return'], hint: '↵ accept', help: 'accept the value (it is checked first)'},
	formCancel: {keys: ['escape'], hint: 'esc cancel', help: 'cancel: the field keeps the value it had'},
	formWrite: {keys: ['y'], hint: 'y write', help: 'write the changes to the file'},
	formBackToForm: {keys: ['n', 'escape'], hint: 'n back to the form', help: 'back to the form without writing (also Esc)'},
	formLeave: {keys: ['escape'], hint: 'esc back', help: 'leave the form (asks first when there are unsaved changes)'},
} as const satisfies Record<string, Binding>;

export type Command = keyof typeof keymap;

/** True when the input/key pair is one of the command's keys. */
export function matches(command: Command, input: string, key: Key): boolean {
	return keymap[command].keys.some(name => keyMatches(name, input, key));
}

/** True when the input/key pair is the named key. */
export function keyMatches(name: KeyName, input: string, key: Key): boolean {
	if (name.startsWith('ctrl+')) return key.ctrl && input === name.slice(5);
	if (name.startsWith('shift+')) return key.shift && keyMatches(name.slice(6), input, {...key, shift: false});
	if (name.length === 1) return input === name && !key.ctrl && !key.meta;
	return Boolean(key[name as keyof Key]);
}

/** The footer hints of a screen's commands, each once (↑ and ↓ share one). */
export function hintsFor(commands: readonly Command[]): string[] {
	return [...new Set(commands.map(command => keymap[command].hint))];
}

/** The help overlay's lines: every key of the commands and what it does. */
export function helpLines(commands: readonly Command[]): Array<{keys: string; help: string}> {
	return commands.map(command => ({keys: keymap[command].keys.map(describeKey).join(' / '), help: keymap[command].help}));
}

const keyNames: Record<string, string> = {
	escape: 'Esc',
	return: 'Enter',
	upArrow: '↑',
	downArrow: '↓',
	leftArrow: '←',
	rightArrow: '→',
	pageUp: 'PgUp',
	pageDown: 'PgDn',
	home: 'Home',
	end: 'End',
	tab: 'Tab',
};

function describeKey(name: KeyName): string {
	if (name.startsWith('ctrl+')) return `Ctrl+${name.slice(5).toUpperCase()}`;
	if (name.startsWith('shift+')) return `Shift+${describeKey(name.slice(6))}`;
	return keyNames[name] ?? name;
}
