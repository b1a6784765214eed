// The slowest test files of the last vitest run, from its JSON report (vitest.config.ts writes one to
// node_modules/.cache/vitest/report.json; `node bench/slowest-tests.mjs FILE` reads another, e.g. CI's).
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const defaultReport = path.join(root, 'node_modules/.cache/vitest/report.json');
/** Each file's CPU time, from the last `npm test` (test/helpers/setup.ts appends a line per file). */
const cpuLog = path.join(root, 'node_modules/.cache/vitest/cpu.jsonl');

/** Lines naming the `count` files that took the most CPU time (in their worker and in the CLI runs they made). */
async function heaviestTestFiles(count) {
	let entries;
	try {
		entries = (await readFile(cpuLog, 'utf8')).trim().split('\n').filter(Boolean).map(line => JSON.parse(line));
	} catch {
		return [];
	}
	const seconds = ms => `${(ms / 1000).toFixed(1).padStart(5)} s`;
	const worker = entries.reduce((sum, e) => sum + e.cpuMs, 0);
	const children = entries.reduce((sum, e) => sum + e.childrenMs, 0);
	const lines = [`CPU time of the test files in the last npm test: ${seconds(worker + children)} (${seconds(worker).trim()} in the workers, ${seconds(children).trim()} in the CLI runs they made)`];
	for (const e of entries.sort((a, b) => b.cpuMs + b.childrenMs - (a.cpuMs + a.childrenMs)).slice(0, count)) {
		lines.push(`  ${seconds(e.cpuMs + e.childrenMs)}${e.childrenMs > 0 ? ` (CLI runs ${seconds(e.childrenMs).trim()})` : ''}  ${e.file}`);
	}
	return lines;
}

/** Lines naming the `count` slowest files (time in its worker, tests, share of the summed time), or a hint. */
export async function slowestTestFiles(report = defaultReport, count = 8) {
	let json;
	try {
		json = JSON.parse(await readFile(report, 'utf8'));
	} catch {
		return [`no vitest report at ${path.relative(root, report) || report}: run npm test first`];
	}
	const files = json.testResults.map(f => ({file: path.relative(root, f.name), ms: f.endTime - f.startTime, tests: f.assertionResults.length, failed: f.status !== 'passed'}));
	const total = files.reduce((sum, f) => sum + f.ms, 0);
	const ended = Math.max(...json.testResults.map(f => f.endTime));
	const lines = [`slowest test files of the last run (${new Date(json.startTime).toISOString().slice(0, 16).replace('T', ' ')}: ${files.length} files, ${json.numTotalTests} tests, ${((ended - json.startTime) / 1000).toFixed(1)} s)`];
	for (const f of files.sort((a, b) => b.ms - a.ms).slice(0, count)) {
		lines.push(`  ${(f.ms / 1000).toFixed(1).padStart(5)} s  ${String(Math.round((100 * f.ms) / total)).padStart(2)}%  ${String(f.tests).padStart(4)} tests  ${f.file}${f.failed ? '  (failed)' : ''}`);
	}
	// Wall-clock durations grow with whatever else runs on the machine; CPU times much less.
	if (report === defaultReport) lines.push(...(await heaviestTestFiles(count)));
	return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	for (const line of await slowestTestFiles(process.argv[2] ? path.resolve(process.argv[2]) : defaultReport)) console.log(line);
}
