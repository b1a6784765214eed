import {Box, Text} from 'ink';
import {useEffect, useMemo, useState} from 'react';
import type {Engine} from '../../engine/engine.js';
import type {Target} from '../../store/types.js';
import {printable} from '../../domain/text.js';
import type {RecipeCatalog} from '../catalog.js';
import {targetLabel} from '../target-label.js';

type Props = {engine: Engine | undefined; sandbox: boolean; catalog: RecipeCatalog; file?: string; environment?: string};

/**
 * The top line: the target (account, region, cluster; "sandbox" only when it is the sandbox), the project
 * and the environment the screen is about.
 */
export function Header({engine, sandbox, catalog, file, environment}: Props) {
	const project = useProjectName(catalog, file);
	// Picking a target reads the workspace file: once per environment, not on every frame. Targets are edited only
	// on the targets screens, whose header names no environment, so a change is read on the way back.
	const picked = useMemo(() => (engine && environment !== undefined ? engine.pickTarget({}, environment) : undefined), [engine, environment]);
	const target = describeTarget(engine, sandbox, environment, picked);
	return (
		<Box height={1}>
			<Box flexShrink={0} marginRight={2}>
				<Text bold color="cyan" wrap="truncate">
					ecs-deployer{project ? <Text color="white"> › {printable(project)}</Text> : null}
					{environment ? <Text color="white"> › {printable(environment)}</Text> : null}
				</Text>
			</Box>
			<Box flexGrow={1} justifyContent="flex-end" overflow="hidden">
				{/* The simulated account has a colour of its own, so nobody mistakes it for AWS. */}
				<Text dimColor={!target.sandbox} color={target.sandbox ? 'magenta' : undefined} bold={target.sandbox} wrap="truncate-start">
					{target.text}
				</Text>
			</Box>
		</Box>
	);
}

function describeTarget(engine: Engine | undefined, sandbox: boolean, environment: string | undefined, picked: ReturnType<Engine['pickTarget']> | undefined): {text: string; sandbox: boolean} {
	if (!engine) return {text: 'connecting…', sandbox: false};
	if (environment === undefined || !picked) return targetLabel(engine.storedTargets(), sandbox);
	if ('error' in picked) return {text: `no target serves ${environment} (t adds one)`, sandbox: false};
	return {text: `target: ${describe(picked.target)}`, sandbox: Boolean(picked.target.sandbox)};
}

/** `prod: main in eu-west-1 (123456789012)`, or `sandbox: simulated account`. */
export function describe(target: Target): string {
	if (target.sandbox) return `SANDBOX (simulated account ${target.accountId ?? ''}, ${target.region}, cluster ${target.cluster})`.replace('  ', ' ');
	return `${target.name}: cluster ${target.cluster} in ${target.region}${target.accountId ? ` (${target.accountId})` : ''}`;
}

function useProjectName(catalog: RecipeCatalog, file: string | undefined): string | undefined {
	const [name, setName] = useState<string | undefined>();
	useEffect(() => {
		if (file === undefined) return setName(undefined);
		let live = true;
		catalog.list().then(list => live && setName(list.find(r => r.file === file)?.name ?? file), () => undefined);
		return () => {
			live = false;
		};
	}, [catalog, file]);
	return name;
}
