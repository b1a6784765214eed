import {readFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * The profile names of the shared AWS config and credentials files (`AWS_CONFIG_FILE`,
 * `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/config` and `~/.aws/credentials`): `[profile NAME]` and
 * `[default]` in the config file, `[NAME]` in the credentials file. Only the names are read; nothing else
 * of these files is kept. https://docs.aws.amazon.com/sdkref/latest/guide/file-format.html
 */
export async function listProfiles(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
	const home = os.homedir();
	const config = env['AWS_CONFIG_FILE'] ?? path.join(home, '.aws', 'config');
	const credentials = env['AWS_SHARED_CREDENTIALS_FILE'] ?? path.join(home, '.aws', 'credentials');
	const names = new Set<string>();
	for (const [file, prefixed] of [
		[config, true],
		[credentials, false],
	] as const) {
		const text = await readFile(file, 'utf8').catch(() => '');
		for (const match of text.matchAll(/^\s*\[\s*([^\]]+?)\s*\]\s*$/gm)) {
			const section = match[1]!;
			if (prefixed) {
				if (section === 'default') names.add('default');
				else if (section.startsWith('profile ')) names.add(section.slice('profile '.length).trim());
			} else {
				names.add(section);
			}
		}
	}
	return [...names].sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b)));
}
