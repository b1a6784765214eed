/** string-width's source with its RGI emoji pattern built on first need (see build-patches.mjs). */
export function lazyEmojiPattern(source: string): string;

/** @alcalzone/ansi-tokenize's diff.js with diffAnsiCodes answering at once for equal styles (see build-patches.mjs). */
export function sameStylesShortcut(source: string): string;

/** ink/build/output.js with its caches shared by all frames, bounded, and one blank cell (see build-patches.mjs). */
export function sharedOutputCaches(source: string): string;

/** @alcalzone/ansi-tokenize's styledChars.js with styles shared by characters alike (see build-patches.mjs). */
export function sharedStyles(source: string): string;

/** The patches by package file, for the build and the test workers (see build-patches.mjs). */
export const packagePatches: ReadonlyArray<{name: string; file: RegExp; patch: (source: string) => string; applies?: (source: string) => boolean}>;

/** The source of class BoundedCache, which the patches below add to the files they bound (see build-patches.mjs). */
export const boundedCache: string;

/** ink/build/measure-text.js or wrap-text.js with its cache bounded (see build-patches.mjs). */
export function boundedTextCaches(source: string): string;

/** ink/build/render-node-to-output.js measuring text widths through measureText's cache (see build-patches.mjs). */
export function cachedTextWidth(source: string): string;
