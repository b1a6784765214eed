/*
 * Editing a recipe's YAML document the way a person would: only the field that changes changes. The step form
 * reads its values from the document (`readForm`) and writes each accepted field back with the functions
 * below; `renderText` turns the document into text again while keeping the rest of the file as it was
 * written: comments, key order, blank lines, quoting and the spacing of comments. Pure: no I/O.
 *
 * One import for all of it: the field edits are in document-edit.ts, the text in render-text.ts, the form's
 * values in form.ts, the edits of several fields in form-edits.ts, the variables in form-variables.ts and a new recipe in new-recipe.ts.
 */

export {addEntry, addItem, deleteField, insertItem, moveItem, openRecipe, removeItem, renameKey, setField, setList, valueAt, type Path} from './document-edit.js';
export {
	readForm,
	type ChannelForm,
	type ContainerForm,
	type FirelensForm,
	type HealthCheckForm,
	type KeyValue,
	type LoggingForm,
	type PortForm,
	type RecipeForm,
	type SecretForm,
	type VariableForm,
	type VolumeForm,
	type StrategyForm,
	type AutoScalingForm,
} from './form.js';
export {
	addDefinition,
	addVariable,
	definitionInForce,
	moveVariable,
	removeDefinition,
	removeVariable,
	renameVariable,
	renameVariableReferences,
	scopeNames,
	scopeOf,
	sensitiveValues,
	setDefinitionValue,
	setVariableSensitive,
	valuePath,
	variableGroups,
	type Scope,
	type VariableGroup,
} from './form-variables.js';
export {renameReferenced, setFirelens, setFirelensConfigFile, setLoggingType, setVolumeType, setWait, type Referenced} from './form-edits.js';
export {newRecipeText} from './new-recipe.js';
export {renderText} from './render-text.js';
