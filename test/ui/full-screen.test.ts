import {EventEmitter} from 'node:events';
import {describe, expect, test, vi} from 'vitest';
import {enterFullScreen, enterSequence, leaveSequence} from '../../source/ui/full-screen.js';

/** A process and a terminal that record what happens. */
function setup() {
	const written: string[] = [];
	const errors: string[] = [];
	const proc = Object.assign(new EventEmitter(), {exit: vi.fn()});
	const stop = vi.fn(() => written.push('<unmount>'));
	const leave = enterFullScreen({
		stdout: {write: (text: string) => written.push(text)},
		stderr: {write: (text: string) => errors.push(text)},
		process: proc,
		stop,
		describe: cause => ({message: `ecs-deployer: unexpected error: ${(cause as Error).message}`, code: 1}),
	});
	return {written, errors, proc, stop, leave};
}

describe('the full screen', () => {
	test('enters the alternate screen with bracketed paste, and leaves it once', () => {
		const {written, leave, proc} = setup();
		expect(written).toEqual([enterSequence]);
		leave();
		leave();
		proc.emit('exit');
		expect(written).toEqual([enterSequence, leaveSequence]);
		expect(proc.listenerCount('SIGTERM')).toBe(0);
	});

	test.each([
		['SIGINT', 130],
		['SIGTERM', 143],
		['SIGHUP', 129],
	])('%s ends the app, restores the terminal, and exits with %i', (signal, code) => {
		const {written, proc} = setup();
		proc.emit(signal);
		expect(written).toEqual([enterSequence, '<unmount>', leaveSequence]);
		expect(proc.exit).toHaveBeenCalledWith(code);
	});

	test('a crash restores the terminal before the error is printed', () => {
		const {written, errors, proc} = setup();
		proc.emit('uncaughtException', new Error('boom'));
		expect(written.at(-1)).toBe(leaveSequence);
		expect(errors).toEqual(['ecs-deployer: unexpected error: boom\n']);
		expect(proc.exit).toHaveBeenCalledWith(1);
	});

	test('whatever exits the process restores the terminal', () => {
		const {written, proc} = setup();
		proc.emit('exit');
		expect(written).toEqual([enterSequence, leaveSequence]);
	});
});
