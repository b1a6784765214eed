import {EventEmitter} from 'node:events';
import {render as inkRender} from 'ink';
import type {render} from 'ink-testing-library';
import type {ReactElement} from 'react';

/**
 * Ink on a fake terminal, like ink-testing-library's render, but with a stdout as wide as asked. The
 * library's stdout is 100 columns, and Ink cuts every frame at the stdout's width: a screen laid out for
 * 160 columns would lose its right part, and a line too long for 80 would not show. Here the stdout is wide
 * (the app's size is pinned with TerminalSizeContext): give it some columns more than the app's width, so a
 * frame shows a line that is too long for the app (each frame costs time in proportion to the width).
 */
export function renderWide(tree: ReactElement, columns: number): ReturnType<typeof render> {
	// Only the last frame is kept: a test types hundreds of keys, each renders a frame, and keeping them all
	// made the garbage collector's work grow with the test.
	const stdout = Object.assign(new EventEmitter(), {
		columns,
		last: undefined as string | undefined,
		write(frame: string) {
			stdout.last = frame;
			return true;
		},
		lastFrame: () => stdout.last,
	});
	const stderr = Object.assign(new EventEmitter(), {frames: [] as string[], write: (frame: string) => (stderr.frames.push(frame), true), lastFrame: () => stderr.frames.at(-1)});
	let data: string | null = null;
	const stdin = Object.assign(new EventEmitter(), {
		isTTY: true,
		write(text: string) {
			data = text;
			stdin.emit('readable');
			stdin.emit('data', text);
		},
		read() {
			const text = data;
			data = null;
			return text;
		},
		setEncoding() {},
		setRawMode() {},
		resume() {},
		pause() {},
		ref() {},
		unref() {},
	});
	const instance = inkRender(tree, {stdout: stdout as never, stderr: stderr as never, stdin: stdin as never, debug: true, exitOnCtrlC: false, patchConsole: false});
	return {
		rerender: instance.rerender,
		unmount: instance.unmount,
		cleanup: instance.cleanup,
		stdout,
		stderr,
		stdin,
		get frames() {
			return stdout.last === undefined ? [] : [stdout.last];
		},
		lastFrame: stdout.lastFrame,
	} as unknown as ReturnType<typeof render>;
}
