import {error, formatPath, warning, type Problem} from '../problems.js';
import {quote} from '../text.js';
import type {ServiceSpec} from './schema.js';

/*
 * Rules for `service.autoScaling` (Application Auto Scaling of the service's task count): bounds that make
 * sense, at least one way to scale, what ALB request scaling needs, scheduled actions that change something.
 */

const at = (...segments: Array<string | number>) => formatPath(['service', 'autoScaling', ...segments]);

/** `app/<name>/<id>` of an ALB, from its ARN or from a listener rule ARN of it; undefined for anything else. */
export function albLabel(arn: string | undefined): string | undefined {
	const match = /:(?:loadbalancer|listener-rule|listener)\/(app\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16})(\/|$)/.exec(arn ?? '');
	return match?.[1];
}

/** `targetgroup/<name>/<id>` of a target group ARN. */
export function targetGroupLabel(arn: string): string | undefined {
	return /:(targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16})$/.exec(arn)?.[1];
}

/** The ResourceLabel of ALBRequestCountPerTarget: the ALB and the target group, or undefined when the recipe does not say the ALB. */
export function requestCountLabel(service: ServiceSpec): string | undefined {
	const lb = service.loadBalancers[0];
	if (!lb) return undefined;
	const alb = albLabel(service.autoScaling?.loadBalancer) ?? albLabel(lb.productionListenerRule);
	const group = targetGroupLabel(lb.targetGroupArn);
	return alb === undefined || group === undefined ? undefined : `${alb}/${group}`;
}

export function checkAutoScaling(service: ServiceSpec): Problem[] {
	const scaling = service.autoScaling;
	if (!scaling) return [];
	const problems: Problem[] = [];
	if (scaling.max < scaling.min) problems.push(error(at('max'), `${scaling.max} is below min (${scaling.min})`));
	if (scaling.max === 0) problems.push(error(at('max'), 'must be at least 1: a service that may run no task cannot serve'));
	const policies = [scaling.targetCpu, scaling.targetMemory, scaling.requestsPerTarget].filter(v => v !== undefined);
	if (policies.length === 0 && scaling.schedule.length === 0) {
		problems.push(warning(at(), 'has no targetCpu, targetMemory, requestsPerTarget or schedule: the count only stays between min and max'));
	}
	if (scaling.requestsPerTarget !== undefined) {
		if (service.loadBalancers.length === 0) problems.push(error(at('requestsPerTarget'), 'counts ALB requests per task: the service needs a loadBalancers entry'));
		else if (requestCountLabel(service) === undefined) {
			problems.push(error(at('loadBalancer'), 'requestsPerTarget needs the ALB in front of the target group: give its ARN here (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>), or a productionListenerRule of it'));
		}
	}
	if (scaling.loadBalancer !== undefined && scaling.requestsPerTarget === undefined) problems.push(warning(at('loadBalancer'), 'is only used with requestsPerTarget; it is ignored here'));
	scaling.schedule.forEach((action, i) => {
		if (scaling.schedule.findIndex(other => other.name === action.name) < i) problems.push(error(at('schedule', i, 'name'), `${quote(action.name)} is already the name of another scheduled action`));
		if (action.min === undefined && action.max === undefined) problems.push(error(at('schedule', i), 'changes nothing: give min, max or both'));
		if (action.min !== undefined && action.max !== undefined && action.max < action.min) problems.push(error(at('schedule', i, 'max'), `${action.max} is below this action's min (${action.min})`));
	});
	// An environment's desiredCount is in service.desiredCount by now.
	const desired = service.desiredCount;
	if (desired < scaling.min || desired > scaling.max) {
		problems.push(warning(formatPath(['service', 'desiredCount']), `${desired} is outside autoScaling's ${scaling.min}–${scaling.max}: with autoScaling the scaler sets the count (a new service starts at 1 and is raised to min)`));
	}
	return problems;
}
