import {readFileSync} from 'node:fs';
import path from 'node:path';
import {diffLines} from 'diff';
import {describe, expect, test} from 'vitest';
import {
	addEntry,
	addItem,
	deleteField,
	moveItem,
	newRecipeText,
	openRecipe,
	readForm,
	removeItem,
	renameKey,
	renameReferenced,
	renderText,
	setField,
	setList,
	setLoggingType,
	setVolumeType,
	setWait,
	valueAt,
} from '../../../source/domain/recipe/edit.js';
import {parseRecipe} from '../../../source/domain/recipe/parse.js';
import {repoRoot} from '../../helpers/cli.js';

const examples = ['hello-color', 'orders-api', 'invoice-worker'] as const;
const read = (name: (typeof examples)[number]) => readFileSync(path.join(repoRoot, 'recipes', `${name}.yaml`), 'utf8');

/** Applies an edit to recipe text and returns the new text. */
function edit(text: string, change: (document: ReturnType<typeof openRecipe>) => void): string {
	const document = openRecipe(text);
	change(document);
	return renderText(document, text);
}

/** The lines removed from `before` and added in `after`. */
function changes(before: string, after: string): {removed: string[]; added: string[]} {
	const removed: string[] = [];
	const added: string[] = [];
	for (const part of diffLines(before, after)) {
		const lines = part.value.split('\n').filter(line => line !== '');
		if (part.added) added.push(...lines);
		else if (part.removed) removed.push(...lines);
	}
	return {removed, added};
}

/** Every comment of the text: whole-line comments and trailing ones. */
function comments(text: string): string[] {
	return text.split('\n').flatMap(line => {
		const at = line.search(/(^|\s)#\s/);
		return at === -1 ? [] : [line.slice(at).trim()];
	});
}

describe('renderText', () => {
	test.each(examples)('%s: a document read and written without an edit is the same text, byte for byte', name => {
		const text = read(name);
		expect(edit(text, () => undefined)).toBe(text);
	});

	test('an edit leaves number-like text in other fields as typed (yaml alone wrote 01234 as 1234 and rewrote the file)', () => {
		const text = read('orders-api').replace(/^( +)environment:\n/m, (line, indent: string) => `${line}${indent}  ZIP: 01234\n${indent}  MASK: 0x1F\n${indent}  VERSION: 1.10\n${indent}  BIG: 12345678901234567890\n${indent}  EXP: 1e100\n`);
		expect(text).toContain('ZIP: 01234');
		const after = edit(text, d => setField(d, ['service', 'containers', 0, 'ports', 0, 'containerPort'], 9090));
		expect(changes(text, after)).toEqual({removed: ['        - containerPort: 8080'], added: ['        - containerPort: 9090']});
		const document = openRecipe(text);
		setField(document, ['service', 'containers', 0, 'environment', 'VERSION'], '2.0');
		expect(document.toString()).toMatch(/ZIP: 01234\n.*MASK: 0x1F\n.*VERSION: "2\.0"\n.*BIG: 12345678901234567890\n.*EXP: 1e100\n/s);
	});

	test('changing a container port changes only that line and keeps every comment', () => {
		const text = read('orders-api');
		const after = edit(text, d => setField(d, ['service', 'containers', 0, 'ports', 0, 'containerPort'], 9090));
		expect(changes(text, after)).toEqual({removed: ['        - containerPort: 8080'], added: ['        - containerPort: 9090']});
		expect(comments(after)).toEqual(comments(text));
		expect(parseRecipe(after).problems).toEqual([]);
	});

	test('a line with a comment aligned by hand keeps its spacing unless it is the edited line', () => {
		const text = read('hello-color');
		const after = edit(text, d => setField(d, ['service', 'desiredCount'], 3));
		expect(changes(text, after)).toEqual({removed: ['  desiredCount: 1'], added: ['  desiredCount: 3']});
		expect(after).toContain('repository: hello-color   # ECR repository');
		expect(after).toContain('logging: auto   # CloudWatch Logs');
		const renamed = edit(text, d => setField(d, ['images', 'web', 'repository'], 'hello-colour'));
		expect(changes(text, renamed).added).toEqual(["    repository: hello-colour # ECR repository in the target's account and region"]);
	});

	test('quoted values stay quoted', () => {
		const text = read('hello-color');
		const after = edit(text, d => setField(d, ['variables', 0, 'value'], '#0f0'));
		expect(changes(text, after)).toEqual({removed: ['    value: "#f00"'], added: ['    value: "#0f0"']});
	});

	test('a port written as a number becomes a mapping when more than the number is set', () => {
		const text = read('hello-color');
		const after = edit(text, d => setField(d, ['service', 'containers', 0, 'ports', 0, 'protocol'], 'udp'));
		expect(changes(text, after)).toEqual({removed: ['      ports: [80]'], added: ['      ports: [{containerPort: 80, protocol: udp}]']});
		const number = edit(text, d => setField(d, ['service', 'containers', 0, 'ports', 0, 'containerPort'], 8080));
		expect(changes(text, number).added).toEqual(['      ports: [8080]']);
	});

	test('a list written [a, b] stays one line when an item is added or removed', () => {
		const text = read('hello-color');
		const added = edit(text, d => setList(d, ['service', 'network', 'subnets'], ['subnet-0a1b2c3d4e5f60718', 'subnet-0b1c2d3e4f5a60729', 'subnet-0c1d2e3f4a5b60720']));
		expect(changes(text, added).added).toEqual(['    subnets: [subnet-0a1b2c3d4e5f60718, subnet-0b1c2d3e4f5a60729, subnet-0c1d2e3f4a5b60720]']);
		const removed = edit(text, d => setList(d, ['service', 'network', 'subnets'], ['subnet-0b1c2d3e4f5a60729']));
		expect(changes(text, removed).added).toEqual(['    subnets: [subnet-0b1c2d3e4f5a60729]']);
	});

	test('a new field is added under its parent; a missing parent is created', () => {
		const text = read('hello-color');
		const after = edit(text, d => setField(d, ['service', 'containers', 0, 'healthCheck', 'command'], 'curl -f http://localhost/ || exit 1'));
		const {removed, added} = changes(text, after);
		expect(removed).toEqual([]);
		expect(added).toEqual(['      healthCheck:', '        command: curl -f http://localhost/ || exit 1']);
		expect(comments(after)).toEqual(comments(text));
	});

	test('deleting the last field of a mapping deletes the mapping; the top-level sections stay', () => {
		const text = edit(read('hello-color'), d => setField(d, ['service', 'containers', 0, 'healthCheck', 'command'], 'true'));
		const after = edit(text, d => deleteField(d, ['service', 'containers', 0, 'healthCheck', 'command']));
		expect(after).toBe(read('hello-color'));
		const description = edit(read('hello-color'), d => deleteField(d, ['description']));
		expect(changes(read('hello-color'), description).removed).toEqual(['description: httpd page that shows a colour and a message per environment']);
	});

	test('adding a container appends it to the list; the rest of the file is untouched', () => {
		const text = read('orders-api');
		const after = edit(text, d => expect(addItem(d, ['service', 'containers'], {name: 'sidecar', image: 'api'})).toBe(1));
		const {removed, added} = changes(text, after);
		expect(removed).toEqual([]);
		expect(added).toEqual(['    - name: sidecar', '      image: api']);
		expect(readForm(openRecipe(after)).service.containers.map(c => c.name)).toEqual(['api', 'sidecar']);
	});

	test('a new item takes the style of the items before it', () => {
		const text = read('orders-api');
		const after = edit(text, d => addItem(d, ['service', 'tags'], {key: 'owner', value: 'ops'}));
		expect(changes(text, after).added).toEqual(['    - {key: owner, value: ops}']);
	});

	test('removing a container removes its lines only', () => {
		const text = read('invoice-worker');
		const after = edit(text, d => removeItem(d, ['service', 'containers'], 0));
		const {removed, added} = changes(text, after);
		expect(added).toEqual([]);
		expect(removed[0]).toBe('    - name: log-router');
		expect(removed).toHaveLength(11);
		expect(readForm(openRecipe(after)).service.containers.map(c => c.name)).toEqual(['worker']);
	});

	test('moving a container moves its lines and the comments written inside it', () => {
		const text = read('invoice-worker').replace('    - name: worker\n', '    # renders the invoices\n    - name: worker\n');
		const after = edit(text, d => expect(moveItem(d, ['service', 'containers'], 1, 0)).toBe(true));
		expect(readForm(openRecipe(after)).service.containers.map(c => c.name)).toEqual(['worker', 'log-router']);
		expect(after).toContain('  containers:\n    # renders the invoices\n    - name: worker\n');
		expect(comments(after).sort()).toEqual(comments(text).sort());
		expect(after.split('\n').sort()).toEqual(text.split('\n').sort());
	});

	test('renaming an environment variable keeps its place and value; a taken name is refused', () => {
		const text = read('orders-api');
		const path = ['service', 'containers', 0, 'environment'];
		const after = edit(text, d => expect(renameKey(d, path, 'APP_ENV', 'ENVIRONMENT')).toBe(true));
		expect(changes(text, after)).toEqual({removed: ['        APP_ENV: "#{Environment}"'], added: ['        ENVIRONMENT: "#{Environment}"']});
		expect(edit(text, d => expect(renameKey(d, path, 'APP_ENV', 'LOG_LEVEL')).toBe(false))).toBe(text);
		const entry = edit(text, d => expect(addEntry(d, path, 'FEATURE', 'on')).toBe(true));
		expect(changes(text, entry).added).toEqual(['        FEATURE: on']);
	});

	test('renaming a container points load balancers and dependsOn at the new name', () => {
		const invoice = edit(read('invoice-worker'), d => {
			setField(d, ['service', 'containers', 0, 'name'], 'router');
			renameReferenced(d, 'container', 'log-router', 'router');
		});
		expect(valueAt(openRecipe(invoice), ['service', 'containers', 1, 'dependsOn', 0, 'container'])).toBe('router');
		const orders = edit(read('orders-api'), d => {
			setField(d, ['service', 'containers', 0, 'name'], 'web');
			renameReferenced(d, 'container', 'api', 'web');
		});
		expect(valueAt(openRecipe(orders), ['service', 'loadBalancers', 0, 'container'])).toBe('web');
		const volume = edit(read('invoice-worker'), d => {
			setField(d, ['service', 'volumes', 1, 'name'], 'tmp');
			renameReferenced(d, 'volume', 'scratch', 'tmp');
		});
		expect(valueAt(openRecipe(volume), ['service', 'containers', 1, 'mountPoints', 1, 'volume'])).toBe('tmp');
	});

	test('switching logging and volume kinds drops the fields the new kind does not allow', () => {
		const orders = edit(read('orders-api'), d => setLoggingType(d, 0, 'manual'));
		expect(valueAt(openRecipe(orders), ['service', 'containers', 0, 'logging'])).toEqual({type: 'manual', driver: 'awslogs'});
		const hello = edit(read('hello-color'), d => setLoggingType(d, 0, 'none'));
		expect(changes(read('hello-color'), hello).added).toEqual(['      logging: none # CloudWatch Logs: the stack creates the log group']);
		const bind = edit(read('invoice-worker'), d => setVolumeType(d, 0, 'bind'));
		expect(valueAt(openRecipe(bind), ['service', 'volumes', 0])).toEqual({name: 'invoices', type: 'bind'});
	});

	test('the wait option: a word, or a timeout', () => {
		const text = read('orders-api');
		const complete = edit(text, d => setWait(d, 'complete'));
		expect(changes(text, complete)).toEqual({removed: ['  wait:', '    timeoutMinutes: 20'], added: ['  wait: complete']});
		expect(readForm(openRecipe(edit(complete, d => setWait(d, 'timeout', 45)))).service).toMatchObject({waitMode: 'timeout', timeoutMinutes: 45});
	});

	test('text that cannot be lined up with the original is written whole, comments kept', () => {
		const text = 'name: x # the name\nservice:\n  containers:\n  - name: a\n    image: b\n';
		const after = edit(text, d => addItem(d, ['service', 'containers'], {name: 'c', image: 'b'}));
		expect(openRecipe(after).errors).toEqual([]);
		expect(valueAt(openRecipe(after), ['service', 'containers'])).toEqual([
			{name: 'a', image: 'b'},
			{name: 'c', image: 'b'},
		]);
		expect(after).toContain('# the name');
	});
});

describe('readForm', () => {
	test('hello-color: shorthands are written out', () => {
		const form = readForm(openRecipe(read('hello-color')));
		expect(form.name).toBe('hello-color');
		expect(form.environments.map(({name, desiredCount}) => ({name, desiredCount}))).toEqual([
			{name: 'dev', desiredCount: undefined},
			{name: 'staging', desiredCount: undefined},
			{name: 'production', desiredCount: 2},
		]);
		// No environment of hello-color deploys its own way.
		expect(form.environments.map(e => e.deployment.strategy ?? e.deployment.approval)).toEqual([undefined, undefined, undefined]);
		expect(form.images).toEqual([{ref: 'web', repository: 'hello-color', registry: undefined, account: undefined, region: undefined, credentials: undefined}]);
		const [web] = form.service.containers;
		expect(web?.ports).toEqual([{containerPort: 80, protocol: undefined, name: undefined, appProtocol: undefined, hostPort: undefined}]);
		expect(web?.logging.type).toBe('auto');
		expect(web?.environment).toEqual([
			{key: 'OCTO_COLOR', value: '#{Color}'},
			{key: 'OCTO_ENV', value: '#{Message}'},
		]);
		expect(form.service).toMatchObject({cpu: 256, memory: 512, subnets: ['subnet-0a1b2c3d4e5f60718', 'subnet-0b1c2d3e4f5a60729'], assignPublicIp: true, waitMode: 'complete'});
	});

	test('orders-api: the wait timeout, deployment, tags, load balancers and the health check', () => {
		const {service} = readForm(openRecipe(read('orders-api')));
		expect(service).toMatchObject({waitMode: 'timeout', timeoutMinutes: 20, minimumHealthyPercent: 50, circuitBreakerEnabled: true, healthCheckGracePeriodSeconds: 60});
		expect(service.tags).toEqual([
			{key: 'team', value: 'orders'},
			{key: 'cost-center', value: '4711'},
		]);
		expect(service.loadBalancers).toEqual([{container: 'api', port: 8080, targetGroupArn: '#{TargetGroupArn}'}]);
		expect(service.containers[0]?.healthCheck).toMatchObject({command: 'curl -fsS http://localhost:8080/health || exit 1', startPeriod: 30});
		expect(service.containers[0]?.logging).toMatchObject({type: 'auto', streamPrefix: 'orders', retentionDays: 90});
	});

	test('invoice-worker: volumes, FireLens, manual logging, secrets, mount points and dependencies', () => {
		const {service, environments} = readForm(openRecipe(read('invoice-worker')));
		expect(environments.map(e => e.name)).toEqual(['dev', 'staging', 'production']);
		expect(service.volumes.map(v => [v.name, v.type])).toEqual([
			['invoices', 'efs'],
			['scratch', 'bind'],
		]);
		const [router, worker] = service.containers;
		expect(router?.firelens).toEqual({type: 'fluentbit', options: [{key: 'enable-ecs-log-metadata', value: 'true'}], configFileType: undefined, configFileValue: undefined});
		expect(worker?.logging.driver).toBe('awsfirelens');
		expect(worker?.logging.options.map(o => o.key)).toContain('log_group_name');
		expect(worker?.secrets).toEqual([{name: 'API_TOKEN', valueFrom: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:invoice-worker/api-token-AbCdEf'}]);
		expect(worker?.mountPoints.map(m => m.volume)).toEqual(['invoices', 'scratch']);
		expect(worker?.dependsOn).toEqual([{container: 'log-router', condition: 'START'}]);
	});

	test('a document of the wrong shape reads as empty values, never throws', () => {
		const form = readForm(openRecipe('name: [1, 2]\nservice: 5\nenvironments: nope\n'));
		expect(form.environments).toEqual([]);
		expect(form.service.containers).toEqual([]);
	});
});

describe('a field the form adds goes to its documented place', () => {
	const topLevel = (text: string) => text.split('\n').filter(line => /^[a-z]\w*:/.test(line)).map(line => line.slice(0, line.indexOf(':')));

	test('a new recipe: description under the name (not at the end), variables and channels before the service', () => {
		const text = newRecipeText('billing');
		const after = edit(text, d => {
			setField(d, ['description'], 'invoices');
			addItem(d, ['channels'], {name: 'stable', default: true});
			addItem(d, ['variables'], {name: 'LogLevel', value: 'info'});
		});
		expect(after).toContain('name: billing\ndescription: invoices\n');
		expect(topLevel(after)).toEqual(['name', 'description', 'environments', 'images', 'variables', 'channels', 'service']);
		// The sections are set off by blank lines, as the file's are.
		expect(after).toContain('    repository: billing\n\nvariables:\n');
		expect(after).toContain('\n\nchannels:\n');
		expect(comments(after)).toEqual(comments(text));
		expect(parseRecipe(after).problems).toEqual([]);
	});

	test('service fields in their documented place; a comment at the top of a mapping stays above the key it was written for', () => {
		const text = newRecipeText();
		const after = edit(text, d => {
			setField(d, ['service', 'permissionsBoundary'], 'ecs-deployer-boundary');
			setField(d, ['service', 'desiredCount'], 2);
		});
		expect(after).toContain('service:\n  permissionsBoundary: ecs-deployer-boundary\n  # Task size');
		expect(after).toMatch(/ {4}subnets: \[\]\n {2}desiredCount: 2\n {2}containers:/);
	});

	test('an existing file keeps its own order: the new key goes after the last one written before it', () => {
		const text = read('orders-api');
		const after = edit(text, d => setField(d, ['service', 'permissionsBoundary'], 'ecs-deployer-boundary'));
		expect(changes(text, after)).toEqual({removed: [], added: ['  permissionsBoundary: ecs-deployer-boundary']});
		expect(after).toContain('  executionRole: arn:aws:iam::111122223333:role/ecsTaskExecutionRole\n  permissionsBoundary: ecs-deployer-boundary\n  cpu: 512');
		const shuffled = 'service:\n  containers: []\n  cpu: 256\n';
		expect(edit(shuffled, d => setField(d, ['service', 'memory'], 512))).toBe('service:\n  containers: []\n  cpu: 256\n  memory: 512\n');
	});
});

describe('newRecipeText', () => {
	test('its comments say what a section is for, never its values, so no edit makes them wrong', () => {
		const text = newRecipeText('billing');
		const values = ['billing', 'dev', 'staging', 'production', 'app', '256', '512', '80'];
		for (const comment of comments(text)) for (const value of values) expect(comment).not.toMatch(new RegExp(`\\b${value}\\b`));
		expect(comments(text).length).toBeGreaterThan(2);
	});

	test('a minimal recipe: name, three environments, one ECR image, one container', () => {
		const parsed = parseRecipe(newRecipeText('billing'));
		expect(parsed.problems).toEqual([]);
		expect(parsed.recipe).toMatchObject({name: 'billing', environments: [{name: 'dev'}, {name: 'staging'}, {name: 'production'}], images: {app: {repository: 'billing'}}});
		expect(readForm(parsed.document).service.containers.map(c => [c.name, c.image])).toEqual([['app', 'app']]);
	});
});
