import type {ChangeDetail} from '../../domain/change-diff.js';
import type {FailureReason} from '../../domain/failures.js';
import type {Problem} from '../../domain/problems.js';
import type {Plan} from '../../domain/stack-status.js';
import type {DeployResult, RunStep} from './results.js';

/** One stack event as the panes and printers show it. */
export type StackEventView = {
	id: string;
	timestamp: number;
	logicalId: string;
	resourceType: string;
	status: string;
	reason?: string;
	/** The CloudFormation operation the event belongs to, when the API says. */
	operationId?: string;
};

/** One planned change of the change set. */
export type ChangeView = {
	action: string;
	logicalId: string;
	resourceType: string;
	replacement?: string;
	scope: string[];
	/** What changes in it, property by property (sensitive values masked), when the change set or a template diff says. */
	detail?: ChangeDetail;
};

/** An ECS deployment of the service, as the deployment pane shows it. */
export type DeploymentView = {
	id: string;
	status: string;
	taskDefinition: string;
	rolloutState?: string;
	rolloutStateReason?: string;
	desired: number;
	pending: number;
	running: number;
	failed: number;
	createdAt?: number;
};

/**
 * Where a blue/green, canary or linear ECS deployment is in its lifecycle (DescribeServiceDeployments), with
 * what the recipe says about it: the stages to come, the traffic split, the test listener, the PAUSE hook.
 */
export type LifecycleView = {
	deploymentArn: string;
	/** The service deployment's status: IN_PROGRESS, SUCCESSFUL, ROLLBACK_IN_PROGRESS, ROLLBACK_SUCCESSFUL, STOPPED… */
	status: string;
	strategy: 'blue-green' | 'canary' | 'linear';
	/** The lifecycle stage (ServiceDeploymentLifecycleStage), when ECS says. */
	stage?: string;
	/** The stages this deployment goes through, in order. */
	stages: string[];
	/** Percent of production traffic on the new revision. */
	production: number;
	/** The test listener rule that sends test traffic to the new revision, once it does. */
	testListener?: string;
	/** The new revision's tasks. */
	tasks: {running: number; requested: number};
	/** The PAUSE hook of the approval gate, once the deployment reached it. */
	hook?: {id: string; status: string; stage?: string; expiresAt?: number; timeoutAction?: string};
	/** When this run first saw the hook waiting (AWAITING_ACTION). */
	waitingSince?: number;
};

export type TaskView = {
	id: string;
	/** The task definition revision it runs (`family:revision`). */
	revision?: string;
	lastStatus: string;
	desiredStatus: string;
	healthStatus?: string;
	stopCode?: string;
	stoppedReason?: string;
	startedAt?: number;
	stoppedAt?: number;
	containers: Array<{name: string; lastStatus?: string; exitCode?: number; reason?: string; healthStatus?: string}>;
};

/** The release a deploy runs: its version, each image's tag and digest, and where it came from. */
export type ReleaseView = {
	version: string;
	channel?: string;
	images: Record<string, {tag: string; digest?: string}>;
	/** `stored`: a release made earlier; `new`: made for this deploy from image tags. */
	source: 'stored' | 'new' | 'aws';
	/**
	 * What the template is built from: the recipe the release keeps (`snapshot`), or the recipe file as it is
	 * today (`recipe`: a release made now, or one that keeps no recipe).
	 */
	builtFrom?: 'snapshot' | 'recipe';
	/** Where today's recipe file differs from the release's snapshot (field paths), when it does: those changes are not deployed. */
	recipeChanges?: string[];
};

/** The target a deploy runs on, for headers and records. */
export type TargetView = {name: string; region: string; cluster: string; accountId?: string; sandbox: boolean};

/** One log event of one container of one task (CloudWatch Logs). */
export type LogLine = {timestamp: number; container: string; taskId: string; message: string};

/** The stack operations the engine starts. */
export type StackOperation = 'create' | 'update' | 'delete' | 'continue-rollback' | 'cancel-update';

/** What the engine reports while it works. Hosts render these; the engine never prints. */
export type EngineEvent =
	/** `startedAt`: when the operation followed began, when it began before this run did (a re-attach). */
	| {code: 'deploy.start'; project: string; environment: string; stackName: string; releaseVersion?: string; target?: TargetView; startedAt?: number; /** What the run does on the stack when it is not a deploy: "Redeploying", "Scaling", "Running a one-off task of"… */ heading?: string}
	| {code: 'release'; release: ReleaseView}
	/** The run moved on to a step (reading the stack, the change set, applying, following). */
	| {code: 'step'; step: RunStep}
	| {code: 'recipe.problems'; problems: Problem[]}
	| {code: 'plan'; plan: Plan; stackStatus?: string}
	| {code: 'stack.busy'; status: string}
	| {code: 'changeset.ready'; changes: ChangeView[]}
	| {code: 'changeset.empty'}
	| {code: 'stack.operation'; operation: StackOperation}
	| {code: 'stack.event'; event: StackEventView}
	| {code: 'stack.status'; status: string; reason?: string}
	| {code: 'service.deployment'; deployment: DeploymentView; role: 'new' | 'old'}
	| {code: 'service.event'; id: string; createdAt: number; message: string}
	/** A blue/green, canary or linear deployment moved on in its lifecycle (or its approval gate changed). */
	| {code: 'service.lifecycle'; lifecycle: LifecycleView}
	| {code: 'task'; task: TaskView}
	| {code: 'aws.retry'; operation: string; kind: 'throttling' | 'transient'; attempt: number; delayMs: number}
	| {code: 'logs'; container: string; taskId: string; lines: string[]}
	/** Log events read while following a service's logs, oldest first. */
	| {code: 'log.lines'; lines: LogLine[]}
	/** New log lines of a one-off task's container, as they arrive (`ecs-deployer run`). */
	| {code: 'task.output'; container: string; taskId: string; lines: string[]}
	/**
	 * A beforeDeploy task (a migration) of the recipe moved on: started (`running`, its state and log lines come
	 * as `task` and `task.output`), exited 0, failed (with its last log lines), or was skipped.
	 */
	| {code: 'before-deploy'; task: string; container: string; state: 'running' | 'passed' | 'failed' | 'skipped'; taskId?: string; exitCode?: number; message: string; lastLines?: string[]}
	| {code: 'failure'; reasons: FailureReason[]}
	| {code: 'warning'; message: string}
	| {code: 'note'; message: string}
	| {code: 'deploy.end'; result: DeployResult};

/** The questions the engine may ask. */
export type QuestionId =
	| 'execute-change-set'
	| 'redeploy'
	| 'recreate-stack'
	| 'replace-stack'
	| 'continue-rollback'
	| 'skip-lifecycle'
	| 'allow-moved-tags'
	| 'pick-release'
	| 'secret-value'
	/** A deployment waits at its approval gate (a PAUSE hook): promote, roll back, or keep waiting. */
	| 'approve-deployment'
	/** Cancel the update in progress (CancelUpdateStack)? */
	| 'cancel-update'
	/** Change the service's desired count (UpdateService)? */
	| 'scale-service'
	/** The environment is served by several targets: all of them one after the other, or one? */
	| 'deploy-targets';

type QuestionBase = {
	id: QuestionId;
	message: string;
	/** Lines that explain the question: the changes, the moved tags. */
	detail?: string[];
	/**
	 * How to answer without a person: the headless flag (`--yes`) or environment variable
	 * (`ECS_DEPLOYER_SECRET_DBPASSWORD`) that gives the answer.
	 */
	flag: string;
	/**
	 * Aborted when the question no longer needs an answer (the hook was answered elsewhere or timed out, the
	 * run ended): a host that shows it takes it down, and the request resolves with the default.
	 */
	withdrawn?: AbortSignal;
};

/** Yes or no. */
export type ConfirmQuestion = QuestionBase & {kind: 'confirm'; defaultAnswer: boolean};

export type Choice = {value: string; label: string; hint?: string};

/** One of a list. `defaultAnswer` undefined: a host without a person cannot answer (it fails naming `flag`). */
export type ChooseQuestion = QuestionBase & {kind: 'choose'; choices: Choice[]; defaultAnswer: string | undefined};

/**
 * A value typed by the operator. Sensitive values are masked on screen, never echoed, logged or stored.
 * `validate` returns a problem to show, or undefined when the value is acceptable.
 */
export type EnterQuestion = QuestionBase & {
	kind: 'enter';
	sensitive: boolean;
	/** What the value is for, e.g. the variable name: hosts key their answers by it. */
	key: string;
	defaultAnswer: string | undefined;
	validate?: (value: string) => string | undefined;
};

export type Question = ConfirmQuestion | ChooseQuestion | EnterQuestion;

/** The answer type of a question. */
export type AnswerOf<Q extends Question> = Q extends ConfirmQuestion ? boolean : string;

/**
 * The engine's only way out: report and ask. The TUI turns a request into a dialog the operator answers;
 * the headless printer answers from flags (or a terminal prompt), or refuses with {@link Unanswered}.
 */
export type EngineHost = {
	notify(event: EngineEvent): void;
	request<Q extends Question>(question: Q): Promise<AnswerOf<Q>>;
};

/** Thrown by a host that cannot answer a question (no flag given, nobody at a terminal). */
export class Unanswered extends Error {
	override name = 'Unanswered';
	constructor(readonly question: Question) {
		super(`${question.message} (answer it with ${question.flag})`);
	}
}

/** A host that only listens: for use cases run where nobody can answer (it answers every question with its default). */
export function listeningHost(notify: (event: EngineEvent) => void = () => undefined): EngineHost {
	return {
		notify,
		async request(question) {
			if (question.defaultAnswer === undefined) throw new Unanswered(question);
			return question.defaultAnswer as AnswerOf<typeof question>;
		},
	};
}
