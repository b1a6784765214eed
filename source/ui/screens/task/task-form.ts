import {parse} from 'shell-quote';
import {matches} from '../../input/keymap.js';
import type {Key} from '../../input/keys.js';
import {bufferOf, editText, type TextBuffer} from '../../input/text-edit.js';

/*
 * The one-off task screen before the run starts (pure): the container (a short list), the command (a text
 * field), then a confirmation. What is typed is kept until the run starts, whatever Esc leaves.
 */

export type TaskForm = {
	/** The containers of the service, in recipe order. */
	containers: readonly string[];
	/** Index of the chosen container. */
	container: number;
	command: TextBuffer;
	focus: 'container' | 'command';
	phase: 'form' | 'confirm';
	/** Why the command cannot run as typed. */
	problem?: string;
};

/** A fresh form: the first container, an empty command (the image's own) in focus. */
export function newTaskForm(containers: readonly string[]): TaskForm {
	return {containers, container: 0, command: bufferOf(''), focus: containers.length > 1 ? 'container' : 'command', phase: 'form'};
}

/** What a key asks of the screen besides a new form: start the run, or leave the screen. */
export type TaskFormEffect = 'start' | 'leave' | undefined;

/** The command's words as a shell would split them (quotes kept together), or why it cannot be run as typed. */
export function commandWords(text: string): {words: string[]} | {problem: string} {
	if (text.trim() === '') return {words: []};
	let parsed: ReturnType<typeof parse>;
	try {
		// `$NAME` stays as typed: the container's shell (sh -c) expands it, not ours.
		parsed = parse(text, name => `$${name}`);
	} catch {
		return {problem: 'the command cannot be read (an unclosed quote?)'};
	}
	const words: string[] = [];
	for (const entry of parsed) {
		if (typeof entry === 'string') words.push(entry);
		else if ('pattern' in entry) words.push(entry.pattern);
		else if ('comment' in entry) break;
		else return {problem: `"${'op' in entry ? entry.op : '?'}" is the shell's: write sh -c '…' to run a shell line`};
	}
	return {words};
}

/** The form after a key, and what the screen should do. Undefined: the key is not the form's. */
export function taskFormKey(form: TaskForm, key: Key): {form: TaskForm; effect?: TaskFormEffect} | undefined {
	const {problem: _dropped, ...state} = form;
	if (form.phase === 'confirm') {
		if (matches('yes', key)) return {form: state, effect: 'start'};
		if (matches('no', key)) return {form: {...state, phase: 'form'}};
		return undefined;
	}
	if (matches('back', key)) return {form: state, effect: 'leave'};
	if (matches('taskReview', key)) {
		const parsed = commandWords(form.command.text);
		if ('problem' in parsed) return {form: {...state, focus: 'command', problem: parsed.problem}};
		if (form.containers.length === 0) return {form: {...state, problem: 'the recipe names no container'}};
		return {form: {...state, phase: 'confirm'}};
	}
	if (form.focus === 'container') {
		const last = Math.max(0, form.containers.length - 1);
		if (matches('moveUp', key)) return {form: {...state, container: Math.max(0, form.container - 1)}};
		if (matches('moveDown', key)) return {form: {...state, container: Math.min(last, form.container + 1)}};
		if (matches('nextField', key) || matches('previousField', key)) return {form: {...state, focus: 'command'}};
		// A letter typed here goes to the command: the operator started typing it.
		const typed = editText(form.command, key);
		if (typed && typed.text !== form.command.text) return {form: {...state, focus: 'command', command: typed}};
		return undefined;
	}
	if (matches('previousField', key) || matches('nextField', key)) return {form: {...state, focus: 'container'}};
	const typed = editText(form.command, key);
	return typed ? {form: {...state, command: typed}} : undefined;
}
