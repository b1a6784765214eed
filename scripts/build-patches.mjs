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
