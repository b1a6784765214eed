import {execFileSync} from 'node:child_process';
import {mkdtemp, readFile, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {parse} from 'yaml';
import {runCli, runCliProcess} from '../helpers/cli.js';

describe('ecs-deployer (built CLI)', () => {
	test('--help lists the commands and exit codes', async () => {
		const result = await runCli(['--help']);
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/validate/);
		expect(result.stdout).toMatch(/export/);
		expect(result.stdout).toMatch(/2 bad input/);
	});

	test('--version prints the package version', async () => {
		const pkg = JSON.parse(await readFile('package.json', 'utf8')) as {version: string};
		const result = await runCli(['--version']);
		expect(result).toMatchObject({code: 0, stdout: `${pkg.version}\n`});
	});

	test('an unknown command is bad input (exit 2) with a clear message (the binary, as a child process: its exit code)', async () => {
		const result = await runCliProcess(['deploi']);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain("error: unknown command 'deploi'");
		expect(result.stderr).toContain('(Did you mean deploy?)');
		expect(result.stderr).not.toMatch(/too many arguments/);
	});

	test('an unknown flag is bad input (exit 2) and names the flag', async () => {
		const result = await runCli(['validate', '--recipe', 'recipes/hello-color.yaml', '--env', 'dev', '--colour']);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/unknown option '--colour'/);
	});

	test('a missing required flag names it (exit 2)', async () => {
		const result = await runCli(['validate', '--recipe', 'recipes/hello-color.yaml']);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/--env/);
	});

	test('an unknown option before the command is bad input naming it, never the app (exit 2)', async () => {
		for (const args of [['--bogus', 'status'], ['--bogus']]) {
			const result = await runCli(args);
			expect(result.code, args.join(' ')).toBe(2);
			expect(result.stderr).toContain("error: unknown option '--bogus'");
			expect(result.stderr).not.toMatch(/interactive terminal/);
		}
	});

	test('--sandbox is taken after the command name too, as the README says to add it to any command', async () => {
		const home = await mkdtemp(path.join(tmpdir(), 'ecs-deployer-cli-'));
		const env = {ECS_DEPLOYER_HOME: home};
		for (const args of [['--sandbox', 'status', '-r', 'recipes/hello-color.yaml'], ['status', '--sandbox', '-r', 'recipes/hello-color.yaml'], ['status', '-r', 'recipes/hello-color.yaml', '--sandbox']]) {
			const result = await runCli(args, {env});
			expect(result.stderr, args.join(' ')).toBe('');
			expect(result.code, args.join(' ')).toBe(0);
			expect(result.stdout).toMatch(/^dev\s+· not deployed/m);
		}
		const released = await runCli(['release', 'create', '--sandbox', '-r', 'recipes/hello-color.yaml', '-i', 'web=1.4.0'], {env});
		expect(released).toMatchObject({code: 0});
		expect(released.stdout).toContain('created release 1.4.0 of hello-color');
	});

	test('a recipe that is /dev/zero or a FIFO is refused at once (exit 2), not read for ever', async () => {
		const folder = await mkdtemp(path.join(tmpdir(), 'ecs-deployer-cli-'));
		const fifo = path.join(folder, 'pipe.yaml');
		execFileSync('mkfifo', [fifo]);
		for (const [file, kind] of [['/dev/zero', 'a character device'], [fifo, 'a FIFO (named pipe)']] as const) {
			const result = await runCli(['validate', '--recipe', file, '--env', 'dev']);
			expect(result.code, file).toBe(2);
			expect(result.stdout + result.stderr).toContain(`recipe: cannot read recipe ${file}: it is ${kind}, not a regular file`);
		}
	});

	test('without a terminal the app says to use the headless commands (exit 2) (the binary, as a child process: its stdin and stdout are pipes)', async () => {
		const result = await runCliProcess([]);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/needs an interactive terminal/);
	});
});

describe('validate', () => {
	test('a valid recipe exits 0', async () => {
		const result = await runCli(['validate', '-r', 'recipes/hello-color.yaml', '-e', 'production', '--image', 'web=1.2.0', '--release-version', '1.2.0']);
		expect(result.stdout).toMatch(/✓ recipes\/hello-color.yaml is valid for production/);
		expect(result.code).toBe(0);
	});

	test('an invalid recipe exits 2 and prints every problem with its path and line, no stack trace', async () => {
		const dir = await mkdtemp(path.join(tmpdir(), 'ecs-deployer-'));
		const file = path.join(dir, 'bad.yaml');
		await writeFile(
			file,
			`name: shop
environments: [dev]
images:
  web: {repository: shop}
service:
  cpu: 256
  memory: 4096
  network: {subnets: [subnet-0a1b2c3d4e5f60718]}
  containers:
    - name: web
      image: web
      ports: [80, 70000]
`,
		);
		const result = await runCli(['validate', '-r', file, '-e', 'dev']);
		expect(result.code).toBe(2);
		expect(result.stdout).toContain('service.containers[0].ports[1].containerPort (line 12): must be at most 65535');
		expect(result.stdout).toMatch(/✗ .*bad.yaml is not valid for dev: 1 error/);
		expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);

		const json = await runCli(['validate', '-r', file, '-e', 'dev', '--json']);
		expect(json.code).toBe(2);
		expect(JSON.parse(json.stdout)).toEqual({
			valid: false,
			recipe: file,
			environment: 'dev',
			problems: [{path: 'service.containers[0].ports[1].containerPort', message: 'must be at most 65535', severity: 'error', line: 12}],
		});
	});

	test('a missing recipe file is bad input with the reason', async () => {
		const result = await runCli(['validate', '-r', 'recipes/nope.yaml', '-e', 'dev']);
		expect(result.code).toBe(2);
		expect(result.stdout).toContain('cannot read recipe recipes/nope.yaml: no such file');
	});

	test('malformed --image is bad input naming the flag', async () => {
		const result = await runCli(['validate', '-r', 'recipes/hello-color.yaml', '-e', 'dev', '--image', 'web:1.0']);
		expect(result.code).toBe(2);
		expect(result.stdout).toContain('--image: "web:1.0" is not of the form REF=TAG');
	});
});

describe('export', () => {
	test('writes a YAML template to stdout and notes the parameters without default on stderr', async () => {
		const result = await runCli(['export', '-r', 'recipes/hello-color.yaml', '-e', 'dev']);
		expect(result.code).toBe(0);
		const template = parse(result.stdout) as {Resources: Record<string, {Type: string}>; Parameters: Record<string, {Default?: string}>};
		expect(Object.values(template.Resources).map(r => r.Type)).toEqual(expect.arrayContaining(['AWS::ECS::TaskDefinition', 'AWS::ECS::Service']));
		expect(template.Parameters['ImageTagWeb']?.Default).toBeUndefined();
		expect(result.stderr).toMatch(/ImageTagWeb has no default/);
	});

	test('with --image the tag is the parameter default; --format json and --out write JSON to a file', async () => {
		const dir = await mkdtemp(path.join(tmpdir(), 'ecs-deployer-'));
		const out = path.join(dir, 'template.json');
		const result = await runCli(['export', '-r', 'recipes/hello-color.yaml', '-e', 'dev', '--image', 'web=1.4.2', '--format', 'json', '--out', out]);
		expect(result.code).toBe(0);
		expect(result.stdout).toBe('');
		const template = JSON.parse(await readFile(out, 'utf8')) as {Parameters: Record<string, {Default?: string}>};
		expect(template.Parameters['ImageTagWeb']?.Default).toBe('1.4.2');
	});

	test('the same input gives the same bytes (stable key order)', async () => {
		const args = ['export', '-r', 'recipes/orders-api.yaml', '-e', 'production', '--image', 'api=2.0.0', '--release-version', '2.0.0'];
		const [a, b] = await Promise.all([runCli(args), runCli(args)]);
		expect(a.code).toBe(0);
		expect(a.stdout).toBe(b.stdout);
	});

	test('an invalid recipe exports nothing and exits 2', async () => {
		const result = await runCli(['export', '-r', 'recipes/hello-color.yaml', '-e', 'qa']);
		expect(result.code).toBe(2);
		expect(result.stdout).toBe('');
		expect(result.stderr).toContain('"qa" is not one of the recipe\'s environments (dev, staging, production)');
	});

	test('an unknown --format is refused', async () => {
		const result = await runCli(['export', '-r', 'recipes/hello-color.yaml', '-e', 'dev', '--format', 'xml']);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/xml/);
	});
});

// Child processes: the AWS SDK reads its credentials and config files from the process's environment.
describe('deploy (child process, no AWS reachable)', () => {
	const noCredentials = {AWS_EC2_METADATA_DISABLED: 'true', AWS_PROFILE: 'ecs-deployer-test-missing', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent'};

	test('an invalid environment is bad input (exit 2) and AWS is not called', async () => {
		const result = await runCliProcess(['deploy', '-r', 'recipes/hello-color.yaml', '-e', 'qa', '--cluster', 'main', '--region', 'eu-west-1', '-i', 'web=1.0.0'], {env: noCredentials});
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('"qa" is not one of the recipe\'s environments');
		expect(result.stderr).toContain('nothing was changed in AWS');
	});

	test('no credentials is an AWS access problem (exit 3) with what to check', async () => {
		const result = await runCliProcess(['deploy', '-r', 'recipes/hello-color.yaml', '-e', 'dev', '--cluster', 'main', '--region', 'eu-west-1', '-i', 'web=1.0.0'], {env: noCredentials});
		expect(result.code).toBe(3);
		expect(result.stdout).toMatch(/✗ AWS refused: GetCallerIdentity: CredentialsProviderError/);
		expect(result.stderr).toMatch(/check your credentials/);
		expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
	});
});

describe('iam-policy', () => {
	test('invoice-worker without a target: the policy on stdout (JSON), a note per statement that uses "*" on stderr', async () => {
		const result = await runCli(['iam-policy', '--recipe', 'recipes/invoice-worker.yaml'], {env: {ECS_DEPLOYER_HOME: await mkdtemp(path.join(tmpdir(), 'ecs-deployer-iam-'))}});
		expect(result.code).toBe(0);
		expect(JSON.parse(result.stdout).Version).toBe('2012-10-17');
		expect(result.stderr).toMatch(/^note: StacksOfThisRecipe: the region and account are "\*"/m);
	});

	test('--region, --account and --cluster are flags of the command; a bad one is exit 2 naming it', async () => {
		const home = await mkdtemp(path.join(tmpdir(), 'ecs-deployer-iam-'));
		const scoped = await runCli(['iam-policy', '--recipe', 'recipes/hello-color.yaml', '--region', 'eu-west-1', '--account', '111122223333', '--cluster', 'main', '--permissions-boundary', 'ecs-deployer-boundary'], {env: {ECS_DEPLOYER_HOME: home}});
		expect(scoped.code).toBe(0);
		expect(scoped.stdout).toContain('"iam:PermissionsBoundary": "arn:aws:iam::111122223333:policy/ecs-deployer-boundary"');
		expect(scoped.stderr).not.toMatch(/not known/);
		const bad = await runCli(['iam-policy', '--recipe', 'recipes/hello-color.yaml', '--account', 'nope'], {env: {ECS_DEPLOYER_HOME: home}});
		expect(bad.code).toBe(2);
		expect(bad.stdout).toBe('');
		expect(bad.stderr).toMatch(/--account.*12-digit/);
	});
});
