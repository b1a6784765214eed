/*
 * The shapes of the names a recipe and a target use, apart from the recipe schema: the target rules
 * (domain/target.ts) check them without loading the schema and its validator, which the dashboard's first
 * status cells do not need. schema.ts re-exports them.
 */

/** An environment's name. */
export const environmentNamePattern = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;

/** Target tags (`target add --tag`): short labels. */
export const targetTagPattern = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}$/;
