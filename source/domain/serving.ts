/*
 * Whether a release is serving, judged from ECS evidence only (pure). "Serving" is a claim about ECS: the
 * service the stack holds, its PRIMARY deployment on the task definition the stack holds (the one the deploy
 * registered), that deployment's rollout COMPLETED and as many tasks running as desired. Field and status
 * names: the ECS API reference (DescribeServices: Service.deployments[].status PRIMARY | ACTIVE | INACTIVE,
 * rolloutState IN_PROGRESS | COMPLETED | FAILED). After Copilot's stream/ecs.go: done is the PRIMARY
 * deployment COMPLETED with running = desired.
 */

/** One deployment of the service, as DescribeServices lists it. */
export type DeploymentFacts = {
	id: string;
	status: string;
	taskDefinition: string;
	rolloutState?: string;
	rolloutStateReason?: string;
	running: number;
	desired: number;
	/** Epoch ms. */
	createdAt?: number;
};

/** The service as ECS described it. */
export type ServiceFacts = {arn: string; name: string; status: string; running: number; desired: number; deployments: DeploymentFacts[]};

/** What is known about the service the stack holds; each part may be missing, with why. */
export type ServingEvidence = {
	/** The task definition the stack holds (its AWS::ECS::TaskDefinition resource): what the deploy registered. */
	taskDefinition: string | undefined;
	/** The service: described, or why not (`missing`: the stack has no service, or ECS does not know it). */
	service: ServiceFacts | {missing: string};
	/** Only deployments created at or after this time count (a forced redeploy of the same task definition). */
	deploymentSince?: number;
};

export type ServingVerdict =
	/** Every part of the evidence is there. */
	| {kind: 'serving'; confirmed: string[]}
	/** The rollout of this task definition is still going (or has not started yet). */
	| {kind: 'rolling-out'; confirmed: string[]; waiting: string}
	/** ECS gave up on this task definition (circuit breaker). */
	| {kind: 'rollout-failed'; confirmed: string[]; reason: string}
	/** The evidence does not say this release serves: what is confirmed, and what is not. */
	| {kind: 'unconfirmed'; confirmed: string[]; unconfirmed: string[]};

/** `hello-color-dev:2` from a task definition ARN. */
export function revisionOf(taskDefinition: string): string {
	return taskDefinition.split('/').at(-1) ?? taskDefinition;
}

/** Judges the evidence. Never `serving` unless every part of it is there. */
export function judgeServing(evidence: ServingEvidence): ServingVerdict {
	const confirmed: string[] = [];
	const {service, taskDefinition} = evidence;
	if ('missing' in service) return {kind: 'unconfirmed', confirmed, unconfirmed: [service.missing]};
	confirmed.push(`service ${service.name} found in the stack's resources (${service.status})`);
	if (taskDefinition === undefined) return {kind: 'unconfirmed', confirmed, unconfirmed: ["the stack's task definition could not be read, so what the service should run is not known"]};
	const since = evidence.deploymentSince;
	const counts = (d: DeploymentFacts) => since === undefined || d.createdAt === undefined || d.createdAt >= since;
	const ours = service.deployments.filter(d => d.taskDefinition === taskDefinition && counts(d));
	const primary = service.deployments.find(d => d.status === 'PRIMARY');
	const failed = ours.find(d => d.rolloutState === 'FAILED');
	if (failed) return {kind: 'rollout-failed', confirmed, reason: failed.rolloutStateReason ?? `ECS deployment ${failed.id} of ${revisionOf(taskDefinition)} failed`};
	if (!primary) return {kind: 'unconfirmed', confirmed, unconfirmed: ['the service has no PRIMARY deployment']};
	if (!ours.includes(primary)) {
		const runs = `its PRIMARY deployment runs ${revisionOf(primary.taskDefinition)}, not ${revisionOf(taskDefinition)} that the stack holds`;
		// ECS has not picked up the new revision yet (or never will: the caller decides how long to wait).
		return {kind: 'unconfirmed', confirmed, unconfirmed: [runs]};
	}
	confirmed.push(`its PRIMARY deployment runs ${revisionOf(taskDefinition)}, the task definition the stack holds`);
	const tasks = `${primary.running} of ${primary.desired} tasks running`;
	if (primary.rolloutState === 'IN_PROGRESS') return {kind: 'rolling-out', confirmed, waiting: `rollout IN_PROGRESS, ${tasks}`};
	if (primary.rolloutState === 'COMPLETED') confirmed.push('rollout COMPLETED');
	else if (service.deployments.length > 1) return {kind: 'rolling-out', confirmed, waiting: `${service.deployments.length} deployments still active, ${tasks}`};
	else confirmed.push('one deployment left (no rollout state reported)');
	if (primary.running !== primary.desired || service.running !== service.desired) {
		// Tasks still starting or stopping (the desired count moved: auto scaling, a scale): ECS converges, so
		// this is followed for a while, and said as not confirmed if it never gets there.
		return {kind: 'rolling-out', confirmed, waiting: `${service.running} tasks running where ${service.desired} are desired`};
	}
	confirmed.push(tasks);
	return {kind: 'serving', confirmed};
}

/** One sentence of what is not confirmed, for a verdict line: `the service could not be confirmed: …`. */
export function unconfirmedSentence(verdict: ServingVerdict): string {
	switch (verdict.kind) {
		case 'serving':
			return '';
		case 'rolling-out':
			return verdict.waiting;
		case 'rollout-failed':
			return verdict.reason;
		case 'unconfirmed':
			return verdict.unconfirmed.join('; ');
	}
}
