/** Whether a file name is a recipe's: YAML (`.yaml`, `.yml`). Apart from the parser, so listing files loads no YAML library. */
export function isRecipeFileName(file: string): boolean {
	return /\.ya?ml$/.test(file);
}
