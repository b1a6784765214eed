import type {RecipeDocument} from '../domain/recipe/schema.js';
import type {Target} from '../domain/records.js';
import {attach, type AttachInput} from './service/attach.js';
import {continueRollback, type ContinueRollbackInput} from './service/continue-rollback.js';
import type {EngineDeps} from './core/deps.js';
import {deployRelease, type DeployReleaseInput} from './deploy/deploy-release.js';
import {environmentHistory, listReleases, rollbackCandidates, stackEvents} from './history/history.js';
import type {EngineHost} from './core/host.js';
import {recipePolicy, type PolicyOptions} from './recipes/iam.js';
import {imageTags} from './releases/image-tags.js';
import {importLedger, type ImportInput} from './releases/ledger-import.js';
import {openLedger} from './releases/ledger.js';
import {releaseChanges, type ConfigurationSide} from './releases/release-changes.js';
import {createRelease, ledgerReleases, releaseLike, suggestReleaseVersion, type CreateReleaseInput} from './releases/release-create.js';
import {planRelease} from './releases/release-plan.js';
import {rollback, type RollbackInput} from './rollback/rollback.js';
import {listClusters, listTargets, oneOf, pickTarget, removeTarget, resolveTargets, useSandboxTarget, verifyTarget, type TargetChoice} from './targets/targets.js';
import {deployEach, targetForRecipe, targetsForDeploy} from './deploy/deploy-targets.js';
import {createStatusReader} from './status-reader.js';
import {targetTagsFor} from '../domain/target.js';
import {validateRecipe, type ValidateInput} from './recipes/validate.js';
import {verifyRecipe, type VerifyInput} from './recipes/verify.js';
import {checkRecipeText} from './recipes/recipe-edit.js';
import {redeploy, type RedeployInput} from './service/redeploy.js';
import {answerGate, type ApprovalInput} from './service/approval.js';
import {cancelUpdate, type CancelInput} from './service/cancel.js';
import {runOneOff, type OneOffInput} from './service/one-off.js';
import {scaleService, type ScaleInput} from './service/scale.js';
import {serviceHistory} from './history/service-history.js';
import {followLogs, type LogsInput} from './service/service-logs.js';
import {stackDetails} from './history/stack-details.js';
import {templateText} from './recipes/template-export.js';

/**
 * The use cases, bound to their dependencies: the one place where deploys, rollbacks, re-attaches, status
 * and history happen. The full-screen app and the headless commands are two faces of this object: they map
 * keys or flags to inputs, answer questions, and render what it reports and returns.
 */
export function createEngine(deps: EngineDeps) {
	const statuses = createStatusReader(deps);
	return {
		// Targets
		/** The one target of an environment (an error naming `--target` when several serve it). */
		pickTarget: (choice: TargetChoice, environment: string | undefined) => pickTarget(deps, choice, environment),
		/** Every target that serves a recipe's environment (and carries one of its target tags), in name order, or why none does. */
		targetsFor: statuses.targetsFor,
		/** The one target of a recipe's environment (with its target tags); several is an error naming them and --target. */
		targetOf: (recipe: RecipeDocument | undefined, environment: string, choice: TargetChoice = {}) => {
			const resolved = resolveTargets(deps, {tags: targetTagsFor(recipe, environment), ...choice}, environment);
			return 'error' in resolved ? resolved : oneOf(resolved.targets, environment);
		},
		/** The targets a deploy goes to; asks (all one after the other, or one) when several serve the environment and none was named. */
		/** The one target of a recipe's environment (with its target tags), for use cases that work on one; several is an error naming --target. */
		targetForRecipe: (input: {recipeFile: string; environment: string; choice: TargetChoice}) => targetForRecipe(input, deps),
		targetsForDeploy: (input: {recipeFile: string; environment: string; choice: TargetChoice}, host: EngineHost) => targetsForDeploy(input, deps, host),
		useSandbox: (environments: readonly string[]) => useSandboxTarget(deps, environments),
		targets: () => listTargets(deps),
		/** The targets stored in the workspace (without the built-in sandbox, unless it was chosen). */
		storedTargets: () => deps.workspace.targets(),
		saveTarget: (target: Target) => deps.workspace.saveTarget(target),
		/** Removes a stored target; returns why not, or undefined when removed. */
		removeTarget: (name: string) => removeTarget(deps, name),
		verifyTarget: (target: Target) => verifyTarget(deps, target),
		listClusters: (target: Target) => listClusters(deps, target),
		listProfiles: () => deps.listProfiles?.() ?? Promise.resolve([]),
		// Recipes, tags and releases
		validate: (input: ValidateInput) => validateRecipe(input, deps),
		/** The pre-flight verify of a recipe for an environment on its target (what every deploy checks first). */
		verify: (input: VerifyInput) => verifyRecipe(input, deps),
		imageTags: (recipe: RecipeDocument, ref: string | undefined, channel: string | undefined, target: Target, host?: EngineHost) => imageTags(recipe, ref, channel, target, deps, host),
		createRelease: (recipe: RecipeDocument, input: CreateReleaseInput, target: Target, host?: EngineHost) => createRelease(recipe, input, target, deps, host),
		/** The releases of this workspace's own file only (synchronous); `ledgerReleases` reads the project's ledger, which may be a shared bucket. */
		storedReleases: (project: string) => deps.workspace.releases(project),
		/** The releases in the project's ledger (the recipe's or target's S3 bucket, else this workspace), newest first. */
		ledgerReleases: (recipe: RecipeDocument, target: Target, host?: EngineHost) => ledgerReleases(recipe, target, deps, host),
		/** Where the project's releases and records are kept (`s3://…` or this workspace). */
		ledgerOf: async (recipe: RecipeDocument, target: Target, host?: EngineHost) => (await openLedger(deps, recipe, target, host)).where,
		/** A new release from today's recipe with the images of release `version` (the same one back when nothing differs). */
		releaseLike: (recipe: RecipeDocument, version: string, input: Omit<CreateReleaseInput, 'tags'>, target: Target, host?: EngineHost) => releaseLike(recipe, version, input, target, deps, host),
		/** What creating a release from these tags would give, without creating it: the ledger's release with the same images and configuration, or the version a new one would get. */
		planRelease: (recipe: RecipeDocument, input: Omit<CreateReleaseInput, 'version' | 'notes'>, target: Target, host?: EngineHost) => planRelease(recipe, input, target, deps, host),
		/** The version a new release gets when none is given: never one the ledger already has. */
		suggestReleaseVersion: (recipe: RecipeDocument, primaryTag: string | undefined, target: Target, host?: EngineHost) => suggestReleaseVersion(recipe, primaryTag, target, deps, host),
		/** The configuration difference, field by field, between two releases (or a release and what runs, or today's recipe) in one environment. */
		releaseChanges: (recipe: RecipeDocument, environment: string, target: Target, from: ConfigurationSide, to: ConfigurationSide, host?: EngineHost) => releaseChanges(recipe, environment, target, from, to, deps, host),
		/** Copies this workspace's releases and records of a project into an S3 ledger (nothing overwritten). */
		importLedger: (input: ImportInput, host?: EngineHost) => importLedger(input, deps, host),
		iamPolicy: (recipeFile: string, recipe: RecipeDocument, options?: PolicyOptions) => recipePolicy(recipeFile, recipe, deps, options),
		template: (input: ValidateInput, format: 'yaml' | 'json' = 'yaml') => templateText(input, format, deps),
		writeNewFile: (out: string, text: string, options: {recipeFile: string; force: boolean}) => deps.files.writeNewFile(out, text, options),
		checkRecipe: (text: string) => checkRecipeText(text, deps),
		saveRecipe: (file: string, text: string, expected: string | undefined) => deps.files.saveRecipe(file, text, expected),
		readRecipe: (file: string) => deps.files.readText(file),
		createRecipe: (file: string, text: string) => deps.files.createRecipe(file, text),
		// Runs
		deploy: (input: DeployReleaseInput, host: EngineHost) => deployRelease(input, deps, host),
		/** Deploys to several targets one after the other (stopping at the first that does not end serving), each started by `start`. */
		deployEach,
		rollback: (input: RollbackInput, host: EngineHost) => rollback(input, deps, host),
		attach: (input: AttachInput, host: EngineHost) => attach(input, deps, host),
		redeploy: (input: RedeployInput, host: EngineHost) => redeploy(input, deps, host),
		continueRollback: (input: ContinueRollbackInput, host: EngineHost) => continueRollback(input, deps, host),
		/** Approve (promote) or reject (roll back) a deployment waiting at its approval gate. */
		answerGate: (input: ApprovalInput, host: EngineHost) => answerGate(input, deps, host),
		/** Cancel the update in progress on an environment's stack (it rolls back). */
		cancelUpdate: (input: CancelInput, host: EngineHost) => cancelUpdate(input, deps, host),
		/** A one-off task from the task definition the service runs, in its network, followed to its exit code. */
		runTask: (input: OneOffInput, host: EngineHost) => runOneOff(input, deps, host),
		/** Set how many tasks the service runs (within autoScaling's bounds when the recipe scales). */
		scale: (input: ScaleInput, host: EngineHost) => scaleService(input, deps, host),
		// Status and history
		status: statuses.status,
		/** The releases of the project's ledger (and those AWS knows from the stacks), newest version first, with where each ran and how; environments without a target (`undefined`) are left out. */
		releases: (recipe: RecipeDocument, targetFor: (environment: string) => Target | readonly Target[] | undefined, host?: EngineHost) => listReleases(recipe, targetFor, deps, host),
		history: (recipe: RecipeDocument, environment: string, target: Target, host?: EngineHost) => environmentHistory(recipe, environment, target, deps, host),
		rollbackCandidates: (recipe: RecipeDocument, environment: string, target: Target, host?: EngineHost) => rollbackCandidates(recipe, environment, target, deps, host),
		events: (recipe: RecipeDocument, environment: string, target: Target, options?: {limit?: number; nextToken?: string; operation?: string}, host?: EngineHost) =>
			stackEvents(recipe, environment, target, deps, options, host),
		stack: (recipe: RecipeDocument, environment: string, target: Target, host?: EngineHost) => stackDetails(recipe, environment, target, deps, host),
		serviceHistory: (recipe: RecipeDocument, environment: string, target: Target, host?: EngineHost) => serviceHistory(recipe, environment, target, deps, host),
		/** The CloudWatch logs of a service's tasks: read once, or followed until stopped. */
		logs: (input: LogsInput, host: EngineHost) => followLogs(input, deps, host),
	};
}

export type Engine = ReturnType<typeof createEngine>;
