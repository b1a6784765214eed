import {createOutput} from '../../source/headless/output.js';

/** A headless Output writing into strings, as a command's stdout and stderr. */
export function capture() {
	let stdout = '';
	let stderr = '';
	const output = createOutput({stdout: {write: (t: string) => (stdout += t)}, stderr: {write: (t: string) => (stderr += t)}, env: {}});
	return {output, out: () => stdout, err: () => stderr};
}
