// `npm run test:emulator` starts here: without an emulator endpoint there is nothing to run against, so say
// how to get one and stop (exit 2) before building anything.
const name = 'ECS_DEPLOYER_TEST_ENDPOINT';
const endpoint = process.env[name];
if (!endpoint) {
	console.error(
		`The emulator suite runs the built CLI and the full-screen app against an AWS API emulator, and ${name} is not set. ` +
			`Start moto (an open-source AWS emulator) with: pip install 'moto[server]' then MOTO_ECS_SERVICE_RUNNING=2 moto_server -p 5077 ` +
			`(MOTO_ECS_SERVICE_RUNNING=2 makes every ECS service report 2 running tasks), then run: ` +
			`${name}=http://127.0.0.1:5077 npm run test:emulator. Each case resets the emulator, so use one that holds nothing you need.`,
	);
	process.exit(2);
}
try {
	await fetch(`${endpoint.replace(/\/+$/, '')}/moto-api/data.json`, {signal: AbortSignal.timeout(5000)});
} catch (error) {
	console.error(`${name} is ${endpoint}, but nothing answers there (${error.cause?.code ?? error.message}): start the emulator first (MOTO_ECS_SERVICE_RUNNING=2 moto_server -p PORT).`);
	process.exit(2);
}
