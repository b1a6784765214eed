/** string-width's source with its RGI emoji pattern built on first need (see build-patches.mjs). */
export function lazyEmojiPattern(source: string): string;

/** @alcalzone/ansi-tokenize's diff.js with diffAnsiCodes answering at once for equal styles (see build-patches.mjs). */
export function sameStylesShortcut(source: string): string;
