import {error, formatPath, type Problem} from '../problems.js';
import {formatList, quote} from '../text.js';
import {beforeDeployCommandLimits, type ServiceSpec} from './schema.js';

const at = (...segments: Array<string | number>) => formatPath(['service', 'beforeDeploy', ...segments]);

/**
 * Rules of `service.beforeDeploy` beyond its schema: unique names, a container of the service, a command
 * short enough for RunTask's overrides (8,192 characters in all) with no empty word.
 */
export function checkBeforeDeploy(service: ServiceSpec): Problem[] {
	const problems: Problem[] = [];
	const names = new Map<string, number>();
	const containers = service.containers.map(c => c.name);
	service.beforeDeploy.forEach((task, i) => {
		const first = names.get(task.name);
		if (first === undefined) names.set(task.name, i);
		else problems.push(error(at(i, 'name'), `${quote(task.name)} is already the name of beforeDeploy[${first}]: task names must be unique`));
		if (!containers.includes(task.container)) {
			problems.push(error(at(i, 'container'), `${quote(task.container)} is not a container of the service (${formatList(containers)})`));
		}
		const empty = task.command.findIndex(word => word.trim() === '');
		if (empty >= 0) problems.push(error(at(i, 'command', empty), 'is empty: every word of the command must hold text'));
		const characters = task.command.reduce((sum, word) => sum + word.length, 0);
		if (characters > beforeDeployCommandLimits.characters) {
			problems.push(error(at(i, 'command'), `is ${characters} characters long; at most ${beforeDeployCommandLimits.characters} are allowed (RunTask limits its overrides)`));
		}
	});
	return problems;
}
