import type {AwsPorts} from '../../aws/ports.js';
import type {ResolvedRecipe} from '../../domain/recipe/resolved.js';
import type {CallContext} from './aws-call.js';
import type {RunStep} from './results.js';

/** What the stack-level steps of a run share: AWS, the cluster, ids, and the recipe resolved for the environment. */
export type StackContext = CallContext & {
	aws: AwsPorts;
	cluster: string;
	/** Unique ids for change sets and client request tokens. */
	newId: () => string;
	resolved: ResolvedRecipe;
	/** How to re-attach, as the operator would type it (shell-quoted). */
	reattach: string;
	/** Approve a deployment waiting at its approval gate by itself once it has waited this long (`deploy --approve-after`). */
	approveAfterMs?: number;
	/** Told where the run is (plan, change set, apply, monitor): an error that ends it names the step. */
	onStep?: (step: RunStep) => void;
};
