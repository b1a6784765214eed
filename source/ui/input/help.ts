import {globalCommands, keymap, type Command, type KeyName} from './keymap.js';

/*
 * What the footer and the `?` overlay say, read from the keymap: the footer's short hints, and the help's
 * lines laid out in as many columns as it takes to fit the screen, every line whole.
 */

/** The footer hints of a screen's commands, each once (↑ and ↓ share one; text editing keys have none). */
export function hintsFor(commands: readonly Command[]): string[] {
	return [...new Set(commands.map(command => keymap[command].hint).filter(hint => hint !== ''))];
}

/** One help line: the keys (`↑ / k`) and what they do. */
export type HelpLine = {keys: string; help: string};

/**
 * The help's lines: every key of the screen's commands, then the global layer's keys the screen does not use
 * itself. A key is listed once (Esc is the screen's "cancel" or the global "back", never both).
 */
export function helpLines(screen: readonly Command[], global: readonly Command[] = globalCommands): HelpLine[] {
	const shown = new Set<KeyName>();
	const lines: HelpLine[] = [];
	for (const command of [...screen, ...global]) {
		const fresh = keymap[command].keys.filter(key => !shown.has(key));
		if (fresh.length === 0) continue;
		for (const key of fresh) shown.add(key);
		lines.push({keys: fresh.map(describeKey).join(' / '), help: keymap[command].help});
	}
	return lines;
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
	backspace: 'Backspace',
	delete: 'Delete',
	' ': 'Space',
};

/** `Esc`, `↑`, `Ctrl+S`, `Shift+Tab`, `d`. */
export function describeKey(name: KeyName): string {
	if (name.startsWith('ctrl+')) return `Ctrl+${name.slice(5).toUpperCase()}`;
	if (name.startsWith('shift+')) return `Shift+${describeKey(name.slice(6))}`;
	return keyNames[name] ?? name;
}

/** Help laid out: columns of rows, each row the keys (padded to `keyWidth`) and one line of the help text. */
export type HelpLayout = {keyWidth: number; columnWidth: number; columns: Array<Array<{keys: string; text: string}>>};

/** Columns between two help columns. */
const gap = 2;

/**
 * Lays the lines out in `width` × `height`: one column when it fits, else two, three or four; a help text too
 * long for its column wraps under itself. When even four columns are too few rows, the last rows are left out
 * (the layout test keeps every screen's help within 80×24).
 */
export function layoutHelp(lines: readonly HelpLine[], width: number, height: number): HelpLayout {
	const keyWidth = Math.max(0, ...lines.map(line => line.keys.length));
	let best: {layout: HelpLayout; count: number} | undefined;
	for (let count = 1; count <= 4; count++) {
		const columnWidth = Math.floor((width - gap * (count - 1)) / count);
		const textWidth = columnWidth - keyWidth - 1;
		if (textWidth < 16 && count > 1) break;
		const rows = lines.map(line => wrapWords(line.help, Math.max(8, textWidth)).map((text, i) => ({keys: i === 0 ? line.keys : '', text})));
		const columns: HelpLayout['columns'] = [[]];
		for (const row of rows) {
			const column = columns.at(-1)!;
			if (column.length > 0 && column.length + row.length > height) columns.push([...row]);
			else column.push(...row);
		}
		const layout = {keyWidth, columnWidth, columns};
		if (columns.length <= count) return layout;
		best = {layout, count};
	}
	return {...best!.layout, columns: best!.layout.columns.slice(0, best!.count).map(c => c.slice(0, height))};
}

/** Text cut into lines of at most `width` characters at spaces (a word longer than a line is cut). */
export function wrapWords(text: string, width: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(/\s+/).filter(Boolean)) {
		if (line === '') line = word;
		else if (line.length + 1 + word.length <= width) line += ` ${word}`;
		else {
			lines.push(line);
			line = word;
		}
		while (line.length > width) {
			lines.push(line.slice(0, width));
			line = line.slice(width);
		}
	}
	return line === '' && lines.length > 0 ? lines : [...lines, line];
}
