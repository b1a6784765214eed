// The walker of bench/walk.mjs, in a worker thread of the process it walks (bench/walk-preload.mjs starts it): it
// debugs the main thread through the inspector, from the first statement of deployRelease, one step into at a
// time through the project's own code (packages, Node's own code and the folders bench/walk.mjs skips), until
// the statement that sends CreateChangeSet. Each pause is written down with the walked source's frames (those of
// skipped folders too); the figures are made by bench/walk.mjs.
import {Session} from 'node:inspector';
import {readFileSync, writeFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {workerData, parentPort} from 'node:worker_threads';

const {sourceUrl, entry, out, skip} = workerData;
// The session's answers come back on this thread's event loop, which nothing else keeps alive.
setInterval(() => {}, 60_000);
const session = new Session();
session.connectToMainThread();
const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));

const lines = new Map();
/** The text of a line of a walked file. */
const lineOf = (url, line) => {
	if (!lines.has(url)) lines.set(url, readFileSync(fileURLToPath(url), 'utf8').split('\n'));
	return lines.get(url)[line] ?? '';
};

/** Script URLs by id (a pause's call frames name their script by id). */
const urls = new Map();
session.on('Debugger.scriptParsed', ({params}) => urls.set(params.scriptId, params.url));
const urlOf = frame => urls.get(frame.location.scriptId) ?? '';

const pauses = [];
// A walk that never reaches CreateChangeSet (the entry or the end no longer where they were) stops here.
const limit = 100_000;
session.on('Debugger.paused', ({params}) => {
	const ours = params.callFrames.map(frame => ({...frame, url: urlOf(frame)})).filter(frame => frame.url.startsWith(sourceUrl));
	const top = ours.find(frame => !skip.some(folder => frame.url.startsWith(`${sourceUrl}${folder}`)));
	if (!top) return void post('Debugger.stepInto');
	pauses.push({
		stack: ours.map(frame => ({file: frame.url.slice(sourceUrl.length), fn: frame.functionName || '(anonymous)', at: `${frame.functionLocation?.scriptId}:${frame.functionLocation?.lineNumber}:${frame.functionLocation?.columnNumber}`})),
		line: top.location.lineNumber,
	});
	if (/\.createChangeSet\(/.test(lineOf(top.url, top.location.lineNumber)) || pauses.length >= limit) {
		writeFileSync(out, JSON.stringify({pauses, reached: pauses.length < limit}));
		// Let the run go on as it would (to its verdict).
		void post('Debugger.disable');
		return;
	}
	void post('Debugger.stepInto');
});

await post('Debugger.enable');
// Stepped over: anything outside the walked source, and the folders `skip` names (their calls are read as
// leaves; a call they make back into the walked code is still a stop).
await post('Debugger.setBlackboxPatterns', {patterns: [`^(?!${escape(sourceUrl)})`, ...skip.map(folder => `^${escape(sourceUrl)}${escape(folder)}`)]});
await post('Debugger.setBreakpointByUrl', {url: `${sourceUrl}${entry.file}`, lineNumber: entry.line});
parentPort.postMessage('ready');

function escape(text) {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
