import {defineConfig} from 'vitest/config';

// The emulator suite (npm run test:emulator): the built CLI and the app against an AWS API emulator named by
// ECS_DEPLOYER_TEST_ENDPOINT. Cases share that one emulator and reset it, so files and cases run one at a time.
// The test process seeds the emulator with the AWS SDK, which warns on Node 20; the workers inherit this.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';

export default defineConfig({
	test: {
		include: ['test/integration/**/*.test.ts'],
		globalSetup: ['test/integration/global-setup.ts'],
		fileParallelism: false,
		testTimeout: 240_000,
		hookTimeout: 30_000,
	},
});
