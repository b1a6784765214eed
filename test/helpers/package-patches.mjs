// Node module hooks for the test workers (registered by test/helpers/setup.ts): the source changes the build
// makes to the packages Ink renders with (scripts/build-patches.mjs), made here too, so the tests render with
// the code the bundle ships. Ink and these packages load outside Vite; every other module is loaded as it is.
import {packagePatches} from '../../scripts/build-patches.mjs';

export async function load(url, context, nextLoad) {
	const loaded = await nextLoad(url, context);
	const found = packagePatches.find(p => p.file.test(url));
	if (!found || loaded.source === undefined || loaded.source === null) return loaded;
	const source = String(loaded.source);
	return found.applies && !found.applies(source) ? loaded : {...loaded, source: found.patch(source)};
}
