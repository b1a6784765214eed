import {checkRunningTasks, endpoint} from './helpers/emulator.js';

/** Once before the suite: the endpoint is set, answers, and reports the running tasks the cases expect. */
export default async function setup(): Promise<void> {
	endpoint();
	const problem = await checkRunningTasks();
	if (problem) throw new Error(problem);
}
