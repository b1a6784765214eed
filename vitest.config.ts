import {configDefaults, defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		// The emulator suite needs an emulator: npm run test:emulator (vitest.integration.config.ts) runs it.
		exclude: [...configDefaults.exclude, 'test/integration/**'],
		setupFiles: ['test/helpers/setup.ts'],
		testTimeout: 20_000,
	},
});
