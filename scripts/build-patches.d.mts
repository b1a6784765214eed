/** string-width's source with its RGI emoji pattern built on first need (see build-patches.mjs). */
export function lazyEmojiPattern(source: string): string;
