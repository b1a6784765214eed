import {addItem, deleteField, setField, type RecipeForm} from '../../../domain/recipe/edit.js';
import {prereleaseRuleProblem, versionRangeProblem} from '../../../domain/recipe/form-checks.js';
import {display, listField, pathText, rules, selectField, textField, unset, type Field} from './fields.js';
import {fieldRow, itemListRows, uniqueName, type Row} from './rows.js';

/*
 * The Channels section: the rules that decide which image tags a release may use (a semver range, an RE2
 * pattern on the pre-release part) and where it may go, and the default channel. The range and the
 * pattern are checked where they are typed, by the validator's own functions.
 */

/** The rows of the Channels section. */
export function channelRows(form: RecipeForm): Row[] {
	const path = ['channels'];
	const channels = form.channels;
	const names = channels.map(c => display(c.name));
	return itemListRows('Channels', {
		path,
		noun: 'channel',
		items: channels,
		heading: {value: 'which image tags a release may use, and where it may go'},
		add: document => pathText([...path, addItem(document, path, {name: uniqueName(channels.length === 0 ? 'stable' : 'channel', names)}), 'name']),
		label: channel => `channel ${display(channel.name)}`,
		rows(channel, j, item) {
			const at = [...path, j];
			const name: Field = {
				...textField([...at, 'name'], channel.name, {rule: rules.channel}),
				write(document, value) {
					if (names.some((n, k) => k !== j && n === value)) return `a channel is called ${String(value)} already`;
					setField(document, [...at, 'name'], value);
					return undefined;
				},
			};
			// At most one channel is the default: choosing one takes it from the others.
			const isDefault = selectField([...at, 'default'], channel.default, [unset('not set (no)'), {value: 'true', label: 'yes: releases use it unless another is named', data: true}, {value: 'false', label: 'no', data: false}], (document, value) => {
				if (value === true) for (const [k, other] of channels.entries()) if (k !== j && other.default !== undefined) deleteField(document, [...path, k, 'default']);
				setField(document, [...at, 'default'], value);
				return undefined;
			});
			const optional = {depth: 2, list: item};
			return [
				fieldRow('Name', [...at, 'name'], name, {depth: 1, list: item}),
				fieldRow('Default', [...at, 'default'], isDefault, optional),
				fieldRow('Version range', [...at, 'versionRange'], textField([...at, 'versionRange'], channel.versionRange, {optional: true, check: versionRangeProblem, hint: 'an npm semver range: >=1.2.0 <2, ^1.4, 1.x; empty: any version'}), {
					...optional,
					placeholder: 'any version',
				}),
				fieldRow('Pre-release', [...at, 'prereleaseTag'], textField([...at, 'prereleaseTag'], channel.prereleaseTag, {optional: true, max: 200, check: prereleaseRuleProblem, hint: 'an RE2 pattern on the pre-release part: ^$ = none, ^(beta|rc); empty: any'}), {
					...optional,
					placeholder: 'any (^$: no pre-release)',
				}),
				fieldRow('Images', [...at, 'images'], listField([...at, 'images'], channel.images, {rule: rules.imageRef, optional: true}), {...optional, placeholder: `all images (${form.images.map(i => i.ref).join(', ')})`}),
				fieldRow('Environments', [...at, 'environments'], listField([...at, 'environments'], channel.environments, {rule: rules.environment, optional: true}), {...optional, placeholder: 'all environments'}),
				fieldRow('Description', [...at, 'description'], textField([...at, 'description'], channel.description, {optional: true}), {...optional, placeholder: 'none'}),
			];
		},
	});
}
