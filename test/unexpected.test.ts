import {expect, test} from 'vitest';
import {StateFileError, stateFileExitCode} from '../source/io/state-file.js';
import {describeUnexpected} from '../source/unexpected.js';

test('a state file error is explained with its fix and the exit code stateFileExitCode gives', () => {
	for (const kind of ['corrupt', 'io', 'locked'] as const) {
		const error = new StateFileError({file: '.ecs-deployer/sandbox.json', problem: 'is not JSON', fix: 'restore the .bak', kind});
		expect(describeUnexpected(error)).toEqual({message: 'error: .ecs-deployer/sandbox.json: is not JSON\nrestore the .bak', code: stateFileExitCode(error)});
	}
});

test('anything else is one line, "unexpected", exit 1', () => {
	expect(describeUnexpected(new TypeError('x is not a function'))).toEqual({message: 'ecs-deployer: unexpected error: x is not a function', code: 1});
});
