import type {ServiceDeployment} from '../../aws/ports.js';
import {classifyAwsError} from '../../domain/aws-errors.js';
import {lifecycleStagesFor, minutesLeft, productionShare, trafficSteps} from '../../domain/lifecycle.js';
import type {ServiceSpec} from '../../domain/recipe/schema.js';
import {callAws} from '../core/aws-call.js';
import type {ChooseQuestion, LifecycleView} from '../core/host.js';
import type {StackContext} from '../core/stack-context.js';

/** What the operator may answer at the approval gate. */
export type GateAnswer = 'promote' | 'rollback' | 'wait';

/** How ContinueServiceDeployment names an answer. */
export const gateAction = {promote: 'CONTINUE', rollback: 'ROLLBACK'} as const;

/** The statuses of a service deployment that has ended (ECS ServiceDeployment.status). */
const endedStatuses: ReadonlySet<string> = new Set(['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED']);

/**
 * Follows the ECS service deployment of a blue/green, canary or linear rollout through its lifecycle stages
 * (ListServiceDeployments once, then DescribeServiceDeployments each poll) and runs its approval gate: when
 * a PAUSE hook waits (AWAITING_ACTION) it asks the host to promote (ContinueServiceDeployment CONTINUE), roll
 * back (ROLLBACK) or keep waiting, or approves by itself after `approveAfterMs` (`deploy --approve-after`).
 * The question is withdrawn when the hook stops waiting (answered elsewhere, timed out) or the run ends.
 */
export class DeploymentLifecycle {
	private arn: string | undefined;
	private last = '';
	private shifts = 0;
	private lastStage: string | undefined;
	private readonly asked = new Set<string>();
	private question: {hookId: string; withdraw: AbortController} | undefined;
	private waitingSince: {hookId: string; at: number} | undefined;
	private acting = false;
	/** Polls left at the active pace after an answer: the operator watches for the next stage. */
	private brisk = 0;
	view: LifecycleView | undefined;

	constructor(
		private readonly context: StackContext,
		private readonly service: string,
		/** Deployments created before this time belong to earlier runs. */
		private readonly since: number,
	) {}

	/** The strategy of the recipe, when it shifts traffic (only those deployments have a lifecycle to follow). */
	static strategyOf(service: ServiceSpec): LifecycleView['strategy'] | undefined {
		const strategy = service.deployment.strategy;
		return strategy === undefined || strategy === 'rolling' ? undefined : strategy;
	}

	/** Reads the deployment once; true when something changed. */
	async poll(): Promise<boolean> {
		const {context} = this;
		const strategy = DeploymentLifecycle.strategyOf(context.resolved.service);
		if (!strategy) return false;
		// Listed until one is found, and again while the one followed has ended: an earlier run's deployment made
		// just before `since` (a re-attach allows a second for clock rounding) is ended, and this run's, which
		// CloudFormation may not have made yet, is the newer one.
		if (this.arn === undefined || (this.view !== undefined && endedStatuses.has(this.view.status))) {
			let listed: Awaited<ReturnType<typeof context.aws.ecs.listServiceDeployments>>;
			try {
				listed = await callAws(context, 'ListServiceDeployments', () => context.aws.ecs.listServiceDeployments({cluster: context.cluster, service: this.service}));
			} catch (error) {
				// A service CloudFormation is still creating (or ECS does not show yet): look again at the next poll.
				if (classifyAwsError(error) === 'not-found') return false;
				throw error;
			}
			// `since` is AWS's time (the change set's creation): a deployment made before it is an earlier one's.
			const mine = (listed.serviceDeployments ?? [])
				.filter(d => d.createdAt !== undefined && new Date(d.createdAt).getTime() >= this.since)
				.sort((a, b) => new Date(b.createdAt!).getTime() - new Date(a.createdAt!).getTime());
			const newest = mine[0]?.serviceDeploymentArn;
			if (newest === undefined) return false;
			if (this.arn !== undefined && newest !== this.arn) {
				// Another deployment: its own stages, shifts and gate.
				this.shifts = 0;
				this.lastStage = undefined;
				this.waitingSince = undefined;
			}
			this.arn = newest;
		}
		const arn = this.arn;
		const described = await callAws(context, 'DescribeServiceDeployments', () => context.aws.ecs.describeServiceDeployments({serviceDeploymentArns: [arn]}));
		const deployment = described.serviceDeployments?.[0];
		if (!deployment) return false;
		const view = this.viewOf(deployment, strategy);
		const wasWaiting = this.waiting;
		this.view = view;
		// The gate was answered (here, in the app, in another terminal) or timed out: watch for what follows.
		if (wasWaiting && !this.waiting && this.brisk === 0) this.answered();
		const key = JSON.stringify(view);
		const changed = key !== this.last;
		this.last = key;
		if (changed) context.host.notify({code: 'service.lifecycle', lifecycle: view});
		// An answer given here moves the deployment on: the next poll comes at the active pace.
		const answered = await this.gate(view);
		if (this.brisk > 0) {
			this.brisk--;
			return true;
		}
		return answered || changed;
	}

	/**
	 * True while the approval gate waits (a PAUSE hook AWAITING_ACTION on a deployment in progress): nothing
	 * moves but the hook, so the monitor may read the rest less often.
	 */
	get waiting(): boolean {
		return this.view?.status === 'IN_PROGRESS' && this.view.hook?.status === 'AWAITING_ACTION';
	}

	/**
	 * The gate was answered (here, or by the app through answerGate): the next few polls keep the active pace,
	 * so the stage that follows is seen as it comes rather than after the idle backoff.
	 */
	answered(): void {
		this.brisk = 3;
	}

	/** Takes down a question still on screen: the run is over. */
	close(): void {
		this.question?.withdraw.abort();
		this.question = undefined;
	}

	private viewOf(deployment: ServiceDeployment, strategy: LifecycleView['strategy']): LifecycleView {
		const {service} = this.context.resolved;
		const stage = deployment.lifecycleStage;
		if (stage === 'PRODUCTION_TRAFFIC_SHIFT' && this.lastStage !== stage) this.shifts++;
		if (stage !== undefined) this.lastStage = stage;
		const testListener = service.loadBalancers.find(lb => lb.testListenerRule !== undefined)?.testListenerRule;
		const status = deployment.status ?? 'IN_PROGRESS';
		const steps = trafficSteps(strategy, service.deployment.canary?.percent, service.deployment.linear?.stepPercent);
		const pause = (deployment.lifecycleHookDetails ?? []).filter(h => h.targetType === 'PAUSE' || h.targetType === undefined);
		const hook = pause.find(h => h.status === 'AWAITING_ACTION') ?? pause.at(-1);
		if (hook?.status === 'AWAITING_ACTION' && hook.hookId !== undefined && this.waitingSince?.hookId !== hook.hookId) this.waitingSince = {hookId: hook.hookId, at: this.context.clock.now()};
		const testing = testListener !== undefined && stage !== undefined && !['PRE_SCALE_UP', 'SCALE_UP', 'POST_SCALE_UP', 'RECONCILE_SERVICE'].includes(stage) && !status.startsWith('ROLLBACK');
		return {
			deploymentArn: deployment.serviceDeploymentArn ?? this.arn ?? '',
			status,
			strategy,
			...(stage === undefined ? {} : {stage}),
			stages: lifecycleStagesFor(strategy, testListener !== undefined),
			// A deployment ECS calls SUCCESSFUL serves all production traffic (a create has no stages to count).
			production: status === 'SUCCESSFUL' ? 100 : productionShare(stage, this.shifts, steps, status.startsWith('ROLLBACK')),
			...(testing ? {testListener} : {}),
			tasks: {running: deployment.targetServiceRevision?.runningTaskCount ?? 0, requested: deployment.targetServiceRevision?.requestedTaskCount ?? 0},
			...(hook?.hookId === undefined
				? {}
				: {
						hook: {
							id: hook.hookId,
							status: hook.status ?? '',
							...(service.deployment.approval ? {stage: service.deployment.approval.stage} : {}),
							...(hook.expiresAt === undefined ? {} : {expiresAt: new Date(hook.expiresAt).getTime()}),
							...(hook.timeoutAction === undefined ? {} : {timeoutAction: hook.timeoutAction}),
						},
					}),
			...(this.waitingSince !== undefined && hook?.status === 'AWAITING_ACTION' ? {waitingSince: this.waitingSince.at} : {}),
		};
	}

	/**
	 * The approval gate: ask once per waiting hook, act on the answer, withdraw the question once it is moot.
	 * True when it answered the hook just now.
	 */
	private async gate(view: LifecycleView): Promise<boolean> {
		const hook = view.hook;
		const waiting = hook?.status === 'AWAITING_ACTION' ? hook : undefined;
		if (this.question && this.question.hookId !== waiting?.id) this.close();
		if (!waiting || this.acting) return false;
		const {context} = this;
		const after = context.approveAfterMs;
		if (after !== undefined) {
			if (view.waitingSince !== undefined && context.clock.now() - view.waitingSince >= after) {
				await this.answer(view, waiting.id, 'promote', `approved after ${Math.round(after / 60_000)} min of waiting (--approve-after)`);
				return true;
			}
			if (!this.asked.has(waiting.id)) {
				this.asked.add(waiting.id);
				context.host.notify({code: 'note', message: `waiting for approval at ${waiting.stage ?? view.stage ?? 'the approval gate'}; approving by itself after ${Math.round(after / 60_000)} min (--approve-after)`});
			}
			return false;
		}
		if (this.asked.has(waiting.id)) return false;
		this.asked.add(waiting.id);
		const withdraw = new AbortController();
		this.question = {hookId: waiting.id, withdraw};
		const question: ChooseQuestion = {
			kind: 'choose',
			id: 'approve-deployment',
			message: `The new revision waits at ${waiting.stage ?? view.stage} for approval. Promote it, or roll back?`,
			detail: gateDetail(view, context.clock.now()),
			choices: [
				{value: 'promote', label: 'Promote: ECS goes on with the deployment'},
				{value: 'rollback', label: 'Roll back: production stays on the old revision'},
				{value: 'wait', label: 'Keep waiting (answer later, or elsewhere)'},
			],
			defaultAnswer: 'wait',
			flag: 'ecs-deployer approve|reject --recipe FILE --env ENV, or deploy --approve-after MIN',
			withdrawn: withdraw.signal,
		};
		// Asked without blocking the monitor: the stack and the hook are followed while the operator thinks.
		context.host.request(question).then(
			async answer => {
				if (withdraw.signal.aborted || answer === 'wait') return;
				await this.answer(view, waiting.id, answer === 'rollback' ? 'rollback' : 'promote', undefined);
			},
			() => undefined,
		);
		return false;
	}

	/** Answers the waiting hook (ContinueServiceDeployment); a refusal (answered elsewhere meanwhile) is a warning. */
	private async answer(view: LifecycleView, hookId: string, answer: Exclude<GateAnswer, 'wait'>, why: string | undefined): Promise<void> {
		const {context} = this;
		this.acting = true;
		try {
			await callAws(context, 'ContinueServiceDeployment', () => context.aws.ecs.continueServiceDeployment({serviceDeploymentArn: view.deploymentArn, hookId, action: gateAction[answer]}));
			this.answered();
			context.host.notify({code: 'note', message: `${answer === 'promote' ? 'promoted' : 'rolling back'}: ${why ?? `answered at ${view.stage ?? 'the approval gate'}`}`});
		} catch (error) {
			context.host.notify({code: 'warning', message: `could not ${answer === 'promote' ? 'promote' : 'roll back'} the deployment: ${(error as Error).message}`});
		} finally {
			this.acting = false;
			this.close();
			// Look again at once rather than after the idle interval.
			context.control.wake();
		}
	}
}

/** What is being tested while the gate waits: the lines of the approval question. */
export function gateDetail(view: LifecycleView, now: number): string[] {
	const lines = [
		view.testListener ? `test traffic: ${view.testListener} → the new revision` : 'test traffic: none (no test listener rule)',
		`new revision: ${view.tasks.running}/${view.tasks.requested} tasks running`,
		`production traffic: ${view.production} % on the new revision`,
	];
	if (view.hook?.expiresAt !== undefined) lines.push(`if nobody answers: ${view.hook.timeoutAction ?? 'ROLLBACK'} in ${minutesLeft(view.hook.expiresAt, now)} min`);
	return lines;
}
