// `node --import ./bench/package-patches.mjs`: the bench's cases load Ink and the packages it renders with as
// the bundle ships them, with the build's patches (scripts/build-patches.mjs), through the test workers' hook.
import {register} from 'node:module';

register('../test/helpers/package-patches.mjs', import.meta.url);
