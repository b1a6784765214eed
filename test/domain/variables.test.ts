import {describe, expect, test} from 'vitest';
import {
	buildVariableSet,
	containsSensitive,
	redact,
	sensitiveDefinition,
	sensitiveMarker,
	splitSensitive,
	substituteString,
	substituteTree,
	type BuiltinValue,
	type VariableDefinition,
} from '../../source/domain/variables.js';

const builtins: Record<string, BuiltinValue> = {
	Project: {value: 'shop'},
	Environment: {value: 'production'},
	'Release.Version': {value: '1.4.2'},
	'Target.Region': {unknown: 'no target is given'},
};

let n = 0;
const v = (name: string, value: string, more: Partial<VariableDefinition> = {}): VariableDefinition => ({name, value, source: `variables[${n++}]`, ...more});

function sub(input: string, definitions: VariableDefinition[], environment = 'production') {
	const {set, problems} = buildVariableSet(definitions, environment, builtins);
	expect(problems).toEqual([]);
	return substituteString(input, set, 'service.field');
}

describe('scopes', () => {
	test('a scoped value beats the unscoped one; other environments are ignored', () => {
		const defs = [v('Color', 'red'), v('Color', 'green', {environments: ['production']}), v('Color', 'blue', {environments: ['dev']})];
		expect(sub('#{Color}', defs).value).toBe('green');
		expect(sub('#{Color}', defs, 'dev').value).toBe('blue');
		expect(sub('#{Color}', defs, 'staging').value).toBe('red');
	});

	test('a target scope applies only on that target; environment and target together beat either alone', () => {
		const defs = [
			v('Subnet', 'subnet-any'),
			v('Subnet', 'subnet-eu', {targets: ['eu']}),
			v('Subnet', 'subnet-us', {targets: ['us']}),
			v('Subnet', 'subnet-prod-eu', {targets: ['eu'], environments: ['production']}),
		];
		const on = (environment: string, target?: string) => {
			const {set, problems} = buildVariableSet(defs, environment, builtins, target);
			expect(problems).toEqual([]);
			return substituteString('#{Subnet}', set, 'service.network.subnets[0]').value;
		};
		expect(on('dev', 'eu')).toBe('subnet-eu');
		expect(on('dev', 'us')).toBe('subnet-us');
		expect(on('production', 'eu')).toBe('subnet-prod-eu');
		expect(on('production', 'us')).toBe('subnet-us');
		// Another target, or none (validate without one): only the unscoped value applies.
		expect(on('dev', 'ap')).toBe('subnet-any');
		expect(on('dev')).toBe('subnet-any');
		// A target scope and an environment scope are equally specific: both applying is ambiguous.
		const {problems} = buildVariableSet([v('Color', 'a', {environments: ['dev']}), v('Color', 'b', {targets: ['eu']})], 'dev', builtins, 'eu');
		expect(problems.map(p => p.message)).toEqual([expect.stringContaining('variable Color is defined twice for environment dev')]);
	});

	test('two definitions at the same level for one environment are ambiguous', () => {
		const {problems} = buildVariableSet(
			[v('Color', 'a', {environments: ['production'], source: 'variables[1]'}), v('Color', 'b', {environments: ['production', 'dev'], source: 'environments[2].variables.Color'})],
			'production',
			builtins,
		);
		expect(problems.map(p => p.message)).toEqual([
			'variable Color is defined twice for environment production: variables[1] and environments[2].variables.Color',
		]);
		// Not ambiguous where only one of them applies.
		expect(buildVariableSet([v('Color', 'a', {environments: ['production']}), v('Color', 'b', {environments: ['dev']})], 'production', builtins).problems).toEqual([]);
	});

	test('invalid, reserved and built-in names are refused at their declaration', () => {
		const {problems} = buildVariableSet(
			[v('1st', 'x', {source: 'variables[0]'}), v('Environment', 'x', {source: 'variables[1]'}), v('Image.web', 'x', {source: 'variables[2]'})],
			'dev',
			builtins,
		);
		expect(problems.map(p => p.path)).toEqual(['variables[0].name', 'variables[1].name', 'variables[2].name']);
	});

	test('valueFrom needs sensitive: true', () => {
		const {problems} = buildVariableSet([{name: 'Db', valueFrom: 'arn:aws:ssm:eu-west-1:111122223333:parameter/db', source: 'variables[4]'}], 'dev', builtins);
		expect(problems).toEqual([expect.objectContaining({path: 'variables[4].valueFrom', message: 'only sensitive variables take valueFrom: add sensitive: true to Db'})]);
	});
});

describe('substitution', () => {
	test('built-ins and nested references, several levels deep', () => {
		const defs = [v('Url', 'https://#{Host}/#{Path}'), v('Host', '#{Project}.#{Environment}.example.com'), v('Path', 'v#{Release.Version}')];
		expect(sub('#{Url}', defs).value).toBe('https://shop.production.example.com/v1.4.2');
	});

	test('whitespace inside the braces is trimmed', () => {
		expect(sub('#{ Project }-#{Environment }', []).value).toBe('shop-production');
	});

	test('##{ is a literal #{', () => {
		expect(sub('echo ##{HOME} #{Project}', []).value).toBe('echo #{HOME} shop');
	});

	test('a cycle names the chain and the field', () => {
		const direct = buildVariableSet([v('A', 'x#{A}')], 'dev', builtins).set;
		expect(substituteString('#{A}', direct, 'service.family').problems).toEqual([
			{path: 'service.family', message: 'variables refer to each other in a loop: A → A', severity: 'error'},
		]);
		const long = buildVariableSet([v('A', '#{B}'), v('B', '#{C}'), v('C', '#{A}')], 'dev', builtins).set;
		expect(substituteString('x #{A}', long, 'service.family').problems[0]?.message).toBe('variables refer to each other in a loop: A → B → C → A');
	});

	test('unknown names are named, with a suggestion when one is close', () => {
		const {set} = buildVariableSet([v('TargetGroupArn', 'arn')], 'dev', builtins);
		expect(substituteString('#{TargetGroupARN}', set, 'service.loadBalancers[0].targetGroupArn').problems[0]).toEqual({
			path: 'service.loadBalancers[0].targetGroupArn',
			message: 'refers to unknown variable TargetGroupARN (did you mean TargetGroupArn?)',
			severity: 'error',
		});
		expect(substituteString('#{Nothing}', set, 'f').problems[0]?.message).toBe('refers to unknown variable Nothing');
	});

	test('a built-in that is not known here says why', () => {
		expect(sub('#{Target.Region}', []).problems[0]?.message).toBe('uses Target.Region, which is not known here: no target is given');
	});

	test('unclosed braces and filters are errors', () => {
		expect(sub('#{Project', []).problems[0]?.message).toBe('has an unclosed #{ in "#{Project" (write ##{ for a literal #{)');
		expect(sub('#{Project | ToUpper}', []).problems[0]?.message).toMatch(/only plain names are supported/);
	});

	test('a bound field that comes out empty is an error; a literal empty string is not', () => {
		const defs = [v('Empty', ''), v('Blank', '  ')];
		expect(sub('#{Empty}', defs).problems[0]?.message).toBe('resolved to an empty value (from "#{Empty}"); a bound field must not come out empty');
		expect(sub('#{Blank}', defs).problems).toHaveLength(1);
		expect(sub('', defs).problems).toEqual([]);
		expect(sub('x#{Empty}', defs)).toMatchObject({value: 'x', problems: []});
	});

	test('substituteTree walks objects and arrays and names each field', () => {
		const {set} = buildVariableSet([v('Port', '8080')], 'dev', builtins);
		const result = substituteTree({containers: [{name: '#{Project}', ports: ['#{Port}', 81], env: {A: '#{Nope}'}}], count: 2, flag: true}, set, ['service']);
		expect(result.value).toEqual({containers: [{name: 'shop', ports: ['8080', 81], env: {A: '#{Nope}'}}], count: 2, flag: true});
		expect(result.problems.map(p => p.path)).toEqual(['service.containers[0].env.A']);
	});
});

describe('sensitive variables', () => {
	const defs = () => [
		{name: 'DbUrl', sensitive: true, valueFrom: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf', source: 'variables[0]'},
		{name: 'Token', sensitive: true, value: 's3cr3t', source: 'variables[1]'},
		v('Header', 'Bearer #{Token}'),
	];

	test('are never inlined, also through a nested variable', () => {
		const result = sub('#{Header}', defs());
		expect(result.value).not.toContain('s3cr3t');
		expect(result.value).toBe(`Bearer ${sensitiveMarker('Token')}`);
		expect(containsSensitive(result.value)).toBe(true);
		expect(redact(result.value)).toBe('Bearer ******');
	});

	test('markers split back into text and references', () => {
		const value = sub('a#{DbUrl}b#{Token}', defs()).value;
		expect(splitSensitive(value)).toEqual([
			{kind: 'text', text: 'a'},
			{kind: 'sensitive', name: 'DbUrl'},
			{kind: 'text', text: 'b'},
			{kind: 'sensitive', name: 'Token'},
		]);
		expect(splitSensitive('plain')).toEqual([{kind: 'text', text: 'plain'}]);
	});

	test('the definition lookup gives the reference, and nothing for plain variables', () => {
		const {set} = buildVariableSet(defs(), 'dev', builtins);
		expect(sensitiveDefinition(set, 'DbUrl')).toEqual({name: 'DbUrl', valueFrom: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf'});
		expect(sensitiveDefinition(set, 'Header')).toBeUndefined();
	});
});

describe('limits', () => {
	const tens = (levels: number, seed: string) => {
		const defs = [v('L0', seed)];
		for (let i = 1; i < levels; i++) defs.push(v(`L${i}`, `#{L${i - 1}}`.repeat(10)));
		return defs;
	};

	test('a variable that grows too long fails every field that uses it, each naming its own chain', () => {
		const {set} = buildVariableSet(tens(10, '0123456789'), 'dev', builtins);
		const field = (input: string) => substituteString(input, set, 'service.field').problems.map(p => p.message);
		expect(field('#{L9}')).toEqual([
			'expands to more than 65,536 characters through L9 → L8 → L7 → L6 → L5 → L4 → L3: a field may hold at most 65,536 characters after substitution',
		]);
		// L5 failed above already: the second use is answered from the cache, with the chain seen from this field.
		expect(field('x #{L5}')).toEqual([
			'expands to more than 65,536 characters through L5 → L4 → L3: a field may hold at most 65,536 characters after substitution',
		]);
		expect(field('#{L3}')).toEqual([]);
		expect(substituteString('#{L3}', set, 'f').value).toHaveLength(10_000);
	});

	test('a chain deeper than the JavaScript stack is a problem, and one within the limit resolves', () => {
		const chain = (length: number) => [...Array.from({length}, (_, i) => v(`V${i}`, `#{V${i + 1}}`)), v(`V${length}`, 'end')];
		expect(sub('#{V0}', chain(63))).toMatchObject({value: 'end', problems: []});
		const deep = sub('#{V0}', chain(20_000)).problems;
		expect(deep).toHaveLength(1);
		expect(deep[0]?.message).toBe(
			'nests variables more than 64 levels deep: V0 → V1 → V2 → V3 → V4 → V5 → … → V59 → V60 → V61 → V62 → V63 → V64 (at most 64 levels are allowed)',
		);
	});

	test('a loop deep down a chain is named from where it starts', () => {
		const defs = [v('A', '#{B}'), v('B', 'x#{C}'), v('C', '#{D}'), v('D', '#{B}')];
		expect(sub('#{A}', defs).problems[0]?.message).toBe('variables refer to each other in a loop: B → C → D → B');
	});

	test('work that repeats without end is cut off by the step budget, and substitution stops', () => {
		// Each field fails at the depth limit after expanding 65 variables of 1,000 references each; a failure that
		// depends on the chain cannot be cached, so without a budget every field would do all that work again.
		const defs = [v('E', 'e'), ...Array.from({length: 70}, (_, i) => v(`V${i}`, `${'#{E}'.repeat(1000)}#{V${i + 1}}`)), v('V70', 'end')];
		const {set} = buildVariableSet(defs, 'dev', builtins);
		const messages: string[] = [];
		for (let i = 0; i < 2000 && !set.usage.stopped; i++) messages.push(...substituteString('#{V0}', set, `f${i}`).problems.map(p => p.message));
		expect(set.usage.stopped).toBe(true);
		expect(messages.at(-1)).toBe("takes more than 33,554,432 steps to substitute: the recipe's variables refer to each other too often");
		expect(messages.length).toBeLessThan(2000);
	});

	test('substituteTree stops at the first field past the limit on the whole tree', () => {
		const {set} = buildVariableSet(tens(5, '12345'), 'dev', builtins);
		const tree = Object.fromEntries(Array.from({length: 200}, (_, i) => [`X${i}`, '#{L4}']));
		const result = substituteTree(tree, set, ['service', 'env']);
		expect(result.stopped).toBe(true);
		expect(result.problems.map(p => p.path)).toEqual(['service.env.X83']);
	});

	test('a tree nested deeper than any recipe (or looping back on itself) is a problem, not a stack overflow', () => {
		const {set} = buildVariableSet([], 'dev', builtins);
		const loop: Record<string, unknown> = {name: 'x'};
		loop['self'] = loop;
		const result = substituteTree(loop, set, ['service']);
		expect(result.problems).toHaveLength(1);
		expect(result.problems[0]?.message).toBe('nests more than 64 levels deep');
	});

	test('names from Object.prototype are ordinary names', () => {
		expect(buildVariableSet([v('toString', 'x'), v('constructor', 'y')], 'dev', builtins).problems).toEqual([]);
		expect(sub('#{toString}-#{constructor}', [v('toString', 'x'), v('constructor', 'y')]).value).toBe('x-y');
	});

	test('a sensitive value given in a definition never enters the set', () => {
		const {set} = buildVariableSet([{name: 'Token', sensitive: true, value: 's3cr3t', source: 'variables[0]'}], 'dev', builtins);
		expect(JSON.stringify([...set.entries.values()])).not.toContain('s3cr3t');
	});
});
