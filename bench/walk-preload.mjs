// `node --import bench/walk-preload.mjs …`: starts the walker (bench/walk-worker.mjs) on this process before its
// program runs, and waits until its breakpoint is set. ECS_DEPLOYER_WALK holds the walker's settings (JSON).
import {Worker} from 'node:worker_threads';

// Without this preload (a worker takes the process's --import too).
const worker = new Worker(new URL('./walk-worker.mjs', import.meta.url), {workerData: JSON.parse(process.env.ECS_DEPLOYER_WALK), execArgv: []});
await new Promise((resolve, reject) => {
	worker.once('message', resolve);
	worker.once('error', reject);
});
worker.unref();
