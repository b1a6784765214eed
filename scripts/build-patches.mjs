// Source changes scripts/build.mjs makes to packages it bundles, for start-up time only: each leaves what the
// package does as it was (test/scripts/build-patches.test.ts checks it), and returns the source unchanged when
// the package no longer looks as expected (the build then warns).

/**
 * string-width (Ink measures every line with it) builds /^\p{RGI_Emoji}$/v when it loads, and compiles it on the
 * first non-ASCII character it measures: tens of milliseconds before the app's first frame, which has no emoji.
 * Here the pattern is built on first need, and only for a grapheme that can be an RGI emoji: more than one code
 * point, or one with the Emoji_Presentation property (every single-code-point RGI emoji has it).
 */
export function lazyEmojiPattern(source) {
	const declaration = 'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;';
	if (!source.includes(declaration) || !source.includes('rgiEmojiRegex.test(segment)')) return source;
	return source.replace(
		declaration,
		[
			'let rgiEmojiPattern;',
			'const emojiPresentation = /^\\p{Emoji_Presentation}$/u;',
			'const rgiEmojiRegex = {test: segment => (segment.length > 2 || (segment.length === 2 && segment.codePointAt(0) <= 0xFFFF) || emojiPresentation.test(segment)) && (rgiEmojiPattern ??= /^\\p{RGI_Emoji}$/v).test(segment)};',
		].join('\n'),
	);
}

/**
 * @alcalzone/ansi-tokenize's diffAnsiCodes (Ink turns every line of every frame into text with it, one call per
 * character) builds three Sets and three arrays per call, though nearly every character has the styles of the
 * one before it: a frame of 120×40 cells took milliseconds. When `from` and `to` hold the same codes in the same
 * order, the diff is empty (every code of `from` is overwritten by `to`, and `to` adds none): answered at once.
 */
export function sameStylesShortcut(source) {
	const declaration = 'export function diffAnsiCodes(from, to) {';
	if (!source.includes(declaration) || !source.includes('undoAnsiCodes(from.filter(')) return source;
	return source.replace(
		declaration,
		[declaration, '    if (from.length === to.length && from.every((code, i) => code.code === to[i].code && code.endCode === to[i].endCode)) return [];'].join('\n'),
	);
}

/**
 * A Map of at most twice `limit` entries, in two generations: an entry read from the older one moves to the newer
 * one, and the older one is dropped when the newer one is full. For Ink's caches of text measures, which were
 * Maps that kept every text ever drawn.
 */
export const boundedCache = [
	'class BoundedCache {',
	'    constructor(limit) { this.limit = limit; this.newer = new Map(); this.older = new Map(); }',
	'    get(key) {',
	'        let value = this.newer.get(key);',
	'        if (value === undefined) { value = this.older.get(key); if (value !== undefined) this.set(key, value); }',
	'        return value;',
	'    }',
	'    set(key, value) {',
	'        if (this.newer.size >= this.limit) { this.older = this.newer; this.newer = new Map(); }',
	'        this.newer.set(key, value);',
	'        return this;',
	'    }',
	'}',
].join('\n');

/**
 * Ink's Output (ink/build/output.js) keeps its caches of line widths and tokenized lines in each Output, and Ink
 * makes a new Output for every frame: every line of every frame was tokenized and measured again, though a frame
 * mostly repeats the one before. Here the caches are shared by all frames, and bounded (a BoundedCache of 1,000
 * entries each). Every blank cell of a frame is the same object (no cell is changed once made, only replaced),
 * and a row made of the same cells as the row at its height in the frame before is the same text: it is not
 * made again.
 */
export function sharedOutputCaches(source) {
	const maps = ['widths = new Map();', 'blockWidths = new Map();', 'styledChars = new Map();'];
	const perFrame = '    caches = new OutputCaches();';
	const blank = ["row.push({\n                    type: 'char',\n                    value: ' ',\n                    fullWidth: false,\n                    styles: [],\n                });"];
	const rows = [
		'            .map(line => {',
		'            // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742',
		'            const lineWithoutEmptyItems = line.filter(item => item !== undefined);',
		'            return styledCharsToString(lineWithoutEmptyItems).trimEnd();',
		'        })',
	].join('\n');
	if (!maps.every(map => source.includes(map)) || !source.includes(perFrame) || !source.includes(blank[0]) || !source.includes(rows) || !source.includes('export default class Output {')) return source;
	let patched = source.replace(rows, '            .map(rowText)');
	for (const map of maps) patched = patched.replace(map, map.replace('new Map()', 'new BoundedCache(1000)'));
	patched = patched
		.replace(perFrame, '    caches = sharedCaches;')
		.replace(blank[0], 'row.push(blankCell);')
		.replace(
			'export default class Output {',
			[
				'const sharedCaches = new OutputCaches();',
				"const blankCell = {type: 'char', value: ' ', fullWidth: false, styles: []};",
				'/** The cells and text of each row of the last frame made, by height. */',
				'const lastRows = [];',
				'function rowText(line, y) {',
				'    const last = lastRows[y];',
				'    if (last !== undefined && last.cells.length === line.length) {',
				'        let same = true;',
				'        for (let x = 0; x < line.length && same; x++) same = last.cells[x] === line[x];',
				'        if (same) return last.text;',
				'    }',
				'    // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742',
				'    const text = styledCharsToString(line.filter(item => item !== undefined)).trimEnd();',
				'    lastRows[y] = {cells: line, text};',
				'    return text;',
				'}',
				'export default class Output {',
			].join('\n'),
		)
		.replace(
			'class OutputCaches {',
			`${boundedCache}\nclass OutputCaches {`,
		);
	return patched;
}

/**
 * ansi-tokenize's styledCharsToString (Ink turns every row of every frame into text with it) diffs the styles of
 * each character against the one before. Here characters tokenized together share one styles array while their
 * styles do not change (no styles array is changed once made), and a character whose styles array is the one
 * before's adds no codes: the diff of equal styles is empty.
 */
export function sharedStyles(source) {
	const copy = 'styles: [...codes],';
	const diff = 'ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));';
	if (!source.includes(copy) || !source.includes(diff) || !source.includes('codes = reduceAnsiCodesIncremental(codes, [token]);')) return source;
	return source.replace(copy, 'styles: codes,').replace(diff, `if (chars[i - 1].styles !== char.styles) ${diff}`);
}

/**
 * Ink's measureText (ink/build/measure-text.js: the width and height of each text node, for layout) and wrapText
 * (ink/build/wrap-text.js) cache every text they are given, for as long as the app runs: in a long session of
 * streaming events, every line ever shown. Here both caches are bounded (a BoundedCache of 5,000 entries).
 */
export function boundedTextCaches(source) {
	if (source.includes('const cache = new Map();') && source.includes('const cachedDimensions = cache.get(text);')) {
		return `${boundedCache}\n${source.replace('const cache = new Map();', 'const cache = new BoundedCache(5000);')}`;
	}
	const reads = ['const cache = {};', 'const cachedText = cache[cacheKey];', 'cache[cacheKey] = wrappedText;'];
	if (reads.every(read => source.includes(read))) {
		return `${boundedCache}\n${source
			.replace(reads[0], 'const cache = new BoundedCache(5000);')
			.replace(reads[1], 'const cachedText = cache.get(cacheKey);')
			.replace(reads[2], 'cache.set(cacheKey, wrappedText);')}`;
	}
	return source;
}

/**
 * Ink's renderNodeToOutput (ink/build/render-node-to-output.js) measures every text node of every frame with
 * widestLine, which measureText (the layout's measure of the same text) has already cached: it asks measureText.
 */
export function cachedTextWidth(source) {
	const call = 'const currentWidth = widestLine(text);';
	if (!source.includes(call) || !source.includes('if (text.length > 0) {')) return source;
	return `import measureText from './measure-text.js';\n${source.replace(call, 'const currentWidth = measureText(text).width;')}`;
}

/**
 * The patches by package file, for the build (scripts/build.mjs) and the test workers (test/helpers/
 * package-patches.mjs): `file` matches the file's path, `applies` tells a copy the patch is meant for (others are
 * left as they are, quietly), and a copy it is meant for that the patch leaves unchanged makes the build warn.
 */
export const packagePatches = [
	{name: 'string-width-lazy-emoji', file: /[\\/]node_modules[\\/]string-width[\\/]index\.js$/, patch: lazyEmojiPattern, applies: source => source.includes('\\p{RGI_Emoji}$/v')},
	{name: 'ansi-tokenize-same-styles', file: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]diff\.js$/, patch: sameStylesShortcut},
	{name: 'ansi-tokenize-shared-styles', file: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]styledChars\.js$/, patch: sharedStyles},
	{name: 'ink-shared-output-caches', file: /[\\/]ink[\\/]build[\\/]output\.js$/, patch: sharedOutputCaches},
	{name: 'ink-bounded-text-caches', file: /[\\/]ink[\\/]build[\\/](measure|wrap)-text\.js$/, patch: boundedTextCaches},
	{name: 'ink-cached-text-width', file: /[\\/]ink[\\/]build[\\/]render-node-to-output\.js$/, patch: cachedTextWidth},
];
