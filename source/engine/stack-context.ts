import type {AwsPorts} from '../aws/ports.js';
import type {ResolvedRecipe} from '../domain/recipe/resolved.js';
import type {CallContext} from './aws-call.js';

/** What the stack-level steps of a run share: AWS, the cluster, ids, and the recipe resolved for the environment. */
export type StackContext = CallContext & {
	aws: AwsPorts;
	cluster: string;
	/** Unique ids for change sets and client request tokens. */
	newId: () => string;
	resolved: ResolvedRecipe;
	/** How to re-attach, as the operator would type it (shell-quoted). */
	reattach: string;
};
