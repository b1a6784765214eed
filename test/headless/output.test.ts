import {describe, expect, test} from 'vitest';
import {createOutput} from '../../source/headless/output.js';
import {createPrinter} from '../../source/headless/printer.js';

/*
 * Every byte the CLI writes passes one filter: outside text (AWS messages, file names, log lines, stack
 * events) cannot carry an escape sequence to the terminal, not even a colour code; only the colours the CLI
 * paints itself are written as escape codes.
 */

function output(options: {tty?: boolean; env?: NodeJS.ProcessEnv} = {}) {
	let stdout = '';
	let stderr = '';
	const out = createOutput({stdout: {write: (t: string) => (stdout += t), isTTY: options.tty ?? false}, stderr: {write: (t: string) => (stderr += t)}, env: options.env ?? {}});
	return {out, stdout: () => stdout, stderr: () => stderr};
}

const fromAws = 'Resource handler returned message: "\u001B[31mRED\u001B[39m \u001B]52;c;cHduZWQ=\u0007 \u009B2J"';

describe('the headless output filter', () => {
	test('without colours (NO_COLOR, a pipe) no escape sequence is written, not even a colour code from an AWS message', () => {
		for (const options of [{env: {NO_COLOR: '1'}, tty: true}, {tty: false}]) {
			const {out, stdout, stderr} = output(options);
			out.line(`Service UPDATE_FAILED ${out.paint.dim(fromAws)}`);
			out.note(`error: ${fromAws}`);
			expect(stdout() + stderr()).not.toMatch(/[\u001B\u0007\u009B]/);
			expect(stdout()).toContain('\\u001b[31mRED\\u001b[39m');
		}
	});

	test('with colours, only what the CLI painted is an escape code; the same codes from outside are shown as text', () => {
		const {out, stdout} = output({tty: true});
		out.line(`${out.paint.red('✗')} ${fromAws} ${out.paint.bold('done')}`);
		expect(stdout()).toMatch(/^\u001B\[31m✗\u001B\[39m Resource handler/);
		expect(stdout()).toContain('\u001B[1mdone\u001B[22m');
		expect(stdout().match(/\u001B/g)).toHaveLength(4);
		expect(stdout()).toContain('"\\u001b[31mRED\\u001b[39m \\u001b]52;c;cHduZWQ=\\u0007 \\u009b2J"');
	});

	test('JSON keeps the text (as escapes JSON reads back) but writes no C1 control, override or line separator raw', () => {
		const {out, stdout} = output();
		const value = {message: `${fromAws} \u202Eabc \u2028`};
		out.json(value);
		expect(stdout()).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202E\u2028]/);
		expect(JSON.parse(stdout())).toEqual(value);
	});

	test('stack events printed by the headless host cannot drive the terminal', () => {
		const {out, stdout} = output({tty: true});
		const printer = createPrinter(out, {json: false, answers: {}, now: () => new Date(0)});
		printer.notify({code: 'stack.event', event: {id: 'e1', logicalId: 'Service\u001B]0;title\u0007', status: 'UPDATE_FAILED', reason: fromAws, resourceType: 'AWS::ECS::Service', timestamp: new Date(0)}} as never);
		expect(stdout()).not.toMatch(/\u001B\]|\u0007|\u009B|\u001B\[31mRED/);
		expect(stdout()).toContain('Service\\u001b]0;title\\u0007 ');
	});
});
