/**
 * Process exit codes, in one place. CI scripts branch on these; README documents them.
 */
export const exitCodes = {
	/** The command did what was asked (a deploy: the release is serving). */
	success: 0,
	/** A deployment failed or was rolled back; a pre-flight (`verify`, `target verify`) check failed. */
	deploymentFailed: 1,
	/** Bad input: unknown flag or command, invalid recipe, missing file. Nothing was changed in AWS. */
	badInput: 2,
	/** AWS could not be reached or refused access: credentials, permissions, network. */
	awsAccess: 3,
	/**
	 * The stack operation succeeded (or had nothing to change), but ECS did not show the release serving:
	 * its PRIMARY deployment is not on the new task definition, the rollout has not completed, or fewer tasks run
	 * than desired. Check again with `watch`.
	 */
	unconfirmed: 4,
	/**
	 * `release create`: the release is already in the ledger. Its version was taken by another release (another
	 * operator created it first), or the same images with the same configuration are already released under
	 * another version. Nothing was written.
	 */
	exists: 5,
	/** Interrupted (Ctrl+C); a deploy in progress goes on in AWS and can be watched again. */
	interrupted: 130,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];
