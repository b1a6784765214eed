import {Box, Text} from 'ink';
import {useEffect, useMemo, useState} from 'react';
import type {Engine} from '../../engine/engine.js';
import type {Target} from '../../domain/records.js';
import {printable} from '../../domain/text.js';
import type {RecipeCatalog} from '../catalog.js';
import {targetLabel} from '../target-label.js';

type Props = {engine: Engine | undefined; sandbox: boolean; catalog: RecipeCatalog; file?: string; environment?: string; /** The terminal's columns. */ width: number};

/**
 * The top line: the target (account, region, cluster; "sandbox" only when it is the sandbox), the project
 * and the environment the screen is about.
 */
export function Header({engine, sandbox, catalog, file, environment, width}: Props) {
	const project = useProjectName(catalog, file);
	// Picking a target reads the workspace file: once per environment, not on every frame. Targets are edited only
	// on the targets screens, whose header names no environment, so a change is read on the way back.
	const picked = useMemo(() => (engine && environment !== undefined ? engine.pickTarget({}, environment) : undefined), [engine, environment]);
	const target = describeTarget(engine, sandbox, environment, picked);
	const where = `ecs-deployer${project ? ` › ${printable(project)}` : ''}${environment ? ` › ${printable(environment)}` : ''}`;
	const widths = headerWidths(width, where.length, target.text.length, keptLength(target.text));
	return (
		<Box height={1} width={width}>
			<Box width={widths.left} flexShrink={0}>
				<Text bold color="cyan" wrap="truncate-middle">
					{where}
				</Text>
			</Box>
			<Box width={widths.right} marginLeft={headerGap} justifyContent="flex-end" overflow="hidden">
				{/* The simulated account has a colour of its own, so nobody mistakes it for AWS. */}
				<Text dimColor={!target.sandbox} color={target.sandbox ? 'magenta' : undefined} bold={target.sandbox} wrap="truncate">
					{target.text}
				</Text>
			</Box>
		</Box>
	);
}

/** Columns between the two halves of the header. */
const headerGap = 2;

/**
 * The header's two halves in `width` columns: where the screen is (app › project › environment) on the left,
 * the target on the right. When both do not fit, the target's details go first (cut at the end), never its
 * name (`keep` columns); then the left half is cut in its middle.
 */
export function headerWidths(width: number, left: number, right: number, keep: number): {left: number; right: number} {
	if (left + headerGap + right <= width) return {left, right: width - left - headerGap};
	// One column more than the name when the details are cut: the `…` must not take the name's last letter.
	const rightWidth = Math.min(right, Math.max(keep + 1, width - headerGap - left));
	return {left: Math.max(1, width - headerGap - rightWidth), right: rightWidth};
}

/** The part of the target's line that must stay: `target: NAME` (up to the first space, colon or parenthesis after it). */
export function keptLength(target: string): number {
	const prefix = target.startsWith('target: ') ? 'target: '.length : 0;
	const end = target.slice(prefix).search(/[\s:(;,]/);
	return end === -1 ? target.length : prefix + end;
}

function describeTarget(engine: Engine | undefined, sandbox: boolean, environment: string | undefined, picked: ReturnType<Engine['pickTarget']> | undefined): {text: string; sandbox: boolean} {
	if (!engine) return {text: 'connecting…', sandbox: false};
	if (environment === undefined || !picked) return targetLabel(engine.storedTargets(), sandbox);
	if ('error' in picked) return {text: picked.several ? `targets: ${picked.several.map(t => t.name).join(', ')} (${picked.several.length} serve ${environment})` : `no target serves ${environment} (t adds one)`, sandbox: false};
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
