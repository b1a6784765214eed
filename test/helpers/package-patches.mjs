// Node module hooks for the test workers (registered by test/helpers/setup.ts): the source changes the build
// makes to string-width and ansi-tokenize (scripts/build-patches.mjs), made here too, so the tests render with
// the code the bundle ships. Ink loads both outside Vite; every other module is loaded as it is.
import {lazyEmojiPattern, sameStylesShortcut} from '../../scripts/build-patches.mjs';

const patches = [
	{file: /[\\/]node_modules[\\/]string-width[\\/]index\.js$/, patch: lazyEmojiPattern},
	{file: /[\\/]node_modules[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]diff\.js$/, patch: sameStylesShortcut},
];

export async function load(url, context, nextLoad) {
	const loaded = await nextLoad(url, context);
	const found = patches.find(p => p.file.test(url));
	if (!found || loaded.source === undefined || loaded.source === null) return loaded;
	return {...loaded, source: found.patch(String(loaded.source))};
}
