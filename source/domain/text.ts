/*
 * User-provided text (field values, names, keys) ends up in messages that are printed to a terminal. A
 * recipe must not be able to move the cursor, clear the screen or retitle the window when its problems are
 * shown, nor hide or reorder what is shown, so such text is made printable before it is shown.
 */

/**
 * C0 controls (including tab and newline), DEL, C1 controls, and the Unicode characters that reorder or split
 * what a terminal shows: bidirectional embeddings, overrides and isolates, marks, and the line and paragraph
 * separators.
 */
// eslint-disable-next-line no-control-regex
const unprintable = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const named: Readonly<Record<string, string>> = {'\n': '\\n', '\r': '\\r', '\t': '\\t'};

/**
 * Replaces control characters with visible escapes (`\u001b`, `\n`), so text from a recipe cannot drive the
 * terminal (ESC sequences, C1 CSI) or reorder what is shown (bidirectional overrides). Everything else is
 * left as it is. Idempotent: its output has no control characters.
 */
export function printable(text: string): string {
	return text.replace(unprintable, c => named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Escape sequences in a frame of the full-screen app, with what follows ESC: a CSI sequence (its parameters,
 * intermediates and final byte), a string sequence (OSC `]`, DCS `P`, SOS `X`, PM `^`, APC `_`) up to its
 * terminator (BEL or ESC \\, or the end of the frame), or any other single character.
 */
// eslint-disable-next-line no-control-regex
const frameSequence = /\u001B(?:\[([0-?]*)([ -/]*)([@-~]?)|[\]PX^_][\s\S]*?(?:\u0007|\u001B\\|$)|[\s\S]?)/g;
/** Controls a frame never needs: C0 but tab, line feed and carriage return; DEL; C1; bidirectional overrides and isolates. */
// eslint-disable-next-line no-control-regex
const frameControls = /[\u0000-\u0008\u000b\u000c\u000e-\u001a\u001c-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The one filter at the app's terminal boundary: a frame as the renderer (Ink) wrote it, keeping only the
 * control sequences a full-screen renderer needs — colours and styles (SGR), cursor moves, erasing, hiding
 * and showing the cursor, the alternate screen and synchronized output — and dropping every other one,
 * whoever put it in the frame: OSC (window title, clipboard through OSC 52, hyperlinks), DCS/APC/PM/SOS
 * strings, queries the terminal would answer on stdin (device status, attributes, window reports), mode
 * changes (mouse tracking), C1 controls (U+009B is CSI in 8-bit terminals), BEL and the other C0 controls.
 * Screens show outside text through `printable`; this filter holds even where one forgot.
 */
export function terminalFrame(frame: string): string {
	return frame
		.replace(frameSequence, (sequence, parameters?: string, intermediates?: string, final?: string) => {
			if (final === undefined) return '';
			if (intermediates === '' && /^[\d;]*$/.test(parameters ?? '') && 'ABCDEFGHJKSTfm'.includes(final) && final !== '') return sequence;
			if (intermediates === '' && /^\?(?:25|1049|2026)$/.test(parameters ?? '') && (final === 'h' || final === 'l')) return sequence;
			return '';
		})
		.replace(frameControls, '');
}

/**
 * Typed or pasted text without control characters, for input fields: line breaks become spaces (lists split
 * on them), escapes and text-reordering marks go. `printable` is for text shown; this is for text kept.
 */
export function withoutControls(text: string): string {
	return text.replace(/[\r\n]+/g, ' ').replace(unprintable, '');
}

/**
 * Quotes user-provided text for a message: double quotes, `"` and `\` escaped, control characters made
 * visible, and long text cut to its first `max` characters with the full length named.
 * @default max 80
 */
export function quote(text: string, max = 80): string {
	const cut = text.length > max;
	const shown = printable((cut ? text.slice(0, max) : text).replace(/["\\]/g, c => `\\${c}`));
	return cut ? `"${shown}…" (${formatCount(text.length)} characters)` : `"${shown}"`;
}

/** A count with thousands separators, the same on every machine: `65536` → `65,536`. */
export function formatCount(count: number): string {
	return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Names for a message, comma-separated, the list cut after `max` with how many more there are: a recipe with
 * 3,000 environments must not make a 30,000-character message.
 * @default max 10
 */
export function formatList(names: readonly string[], max = 10): string {
	if (names.length <= max) return names.join(', ');
	return `${names.slice(0, max).join(', ')} and ${formatCount(names.length - max)} more`;
}

/**
 * The known name closest to `name` for a "did you mean" hint: case is ignored, and a name more than 2 edits
 * away is no suggestion.
 */
export function suggest(name: string, known: readonly string[]): string | undefined {
	const lower = name.toLowerCase();
	let best: {name: string; distance: number} | undefined;
	for (const candidate of known) {
		// Names that differ in length by more than 2 are more than 2 edits apart: skip the quadratic comparison.
		if (Math.abs(candidate.length - name.length) > 2) continue;
		const distance = candidate.toLowerCase() === lower ? 0 : editDistance(lower, candidate.toLowerCase());
		if (distance <= 2 && (!best || distance < best.distance)) best = {name: candidate, distance};
	}
	return best?.name;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
	let previous = Array.from({length: b.length + 1}, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		for (let j = 1; j <= b.length; j++) {
			current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
		}
		previous = current;
	}
	return previous[b.length]!;
}
