import {parseLedgerLocation} from '../../domain/ledger-location.js';
import {regionName} from '../../domain/regions.js';
import {targetProblems} from '../../domain/target.js';
import type {Engine} from '../../engine/engine.js';
import {exitCodes, type ExitCode} from '../../exit-codes.js';
import type {Target} from '../../domain/records.js';
import type {Output} from '../output.js';
import {badFlag} from './shared.js';

export type TargetAddFlags = {
	name: string;
	region: string;
	cluster: string;
	env?: string[];
	tag?: string[];
	profile?: string;
	roleArn?: string;
	externalId?: string;
	sessionName?: string;
	duration?: string;
	ledger?: string;
};

/** `ecs-deployer target add`: saves a target (replacing one of the same name). Every field has a flag. */
export function targetAddCommand(flags: TargetAddFlags, engine: Engine, output: Output): ExitCode {
	const problems = targetProblems({
		name: flags.name,
		region: flags.region,
		cluster: flags.cluster,
		environments: flags.env ?? [],
		tags: flags.tag ?? [],
		...(flags.profile === undefined ? {} : {profile: flags.profile}),
		...(flags.roleArn === undefined ? {} : {roleArn: flags.roleArn}),
		...(flags.externalId === undefined ? {} : {externalId: flags.externalId}),
		...(flags.sessionName === undefined ? {} : {sessionName: flags.sessionName}),
		...(flags.duration === undefined ? {} : {duration: flags.duration}),
	});
	if (problems.length > 0) {
		for (const problem of problems) output.note(`error: --${problem.field}: ${problem.message}`);
		return exitCodes.badInput;
	}
	const ledger = flags.ledger === undefined ? undefined : parseLedgerLocation(flags.ledger);
	if (ledger && 'problem' in ledger) return badFlag(output, '--ledger', ledger.problem);
	const target: Target = {
		name: flags.name,
		region: flags.region,
		cluster: flags.cluster,
		environments: flags.env ?? [],
		tags: flags.tag ?? [],
		credentials: flags.profile === undefined ? {source: 'default'} : {source: 'profile', profile: flags.profile},
		...(flags.roleArn === undefined
			? {}
			: {
					assumeRole: {
						roleArn: flags.roleArn,
						...(flags.externalId === undefined ? {} : {externalId: flags.externalId}),
						...(flags.sessionName === undefined ? {} : {sessionName: flags.sessionName}),
						...(flags.duration === undefined ? {} : {durationSeconds: Number(flags.duration)}),
					},
				}),
		...(flags.ledger === undefined ? {} : {ledger: flags.ledger}),
	};
	const replaced = engine.targets().some(t => t.name === target.name);
	// A code of the right shape that this version does not list may be a Region opened since: kept, and said.
	if (regionName(target.region) === undefined) output.note(`note: --region: ${target.region} is not a Region this version of ecs-deployer knows; check the code (ecs-deployer target verify ${target.name} reaches it)`);
	engine.saveTarget(target);
	output.line(`${replaced ? 'updated' : 'added'} target ${target.name}: cluster ${target.cluster} in ${target.region}, serves ${target.environments.join(', ')}`);
	return exitCodes.success;
}

export function targetListCommand(engine: Engine, output: Output, json: boolean): ExitCode {
	const targets = engine.targets();
	if (json) {
		output.json(targets);
		return exitCodes.success;
	}
	for (const t of targets) {
		const credentials = t.sandbox ? 'simulated account (built in)' : t.credentials.source === 'profile' ? `profile ${t.credentials.profile}` : 'default credentials';
		const role = t.assumeRole ? `, assumes ${t.assumeRole.roleArn}` : '';
		output.line(`${t.name.padEnd(16)} ${t.cluster} (${t.region})  envs: ${t.environments.join(', ')}  ${credentials}${role}${t.tags.length > 0 ? `  tags: ${t.tags.join(', ')}` : ''}`);
	}
	if (targets.every(t => t.sandbox)) output.note('no targets of your own yet: add one with ecs-deployer target add --name NAME --region REGION --cluster CLUSTER --env ENV');
	return exitCodes.success;
}

export function targetRemoveCommand(name: string, engine: Engine, output: Output): ExitCode {
	const refused = engine.removeTarget(name);
	if (refused) return badFlag(output, 'target', refused);
	output.line(`removed target ${name}`);
	return exitCodes.success;
}

/** `ecs-deployer target verify`: who am I, does the cluster exist and is it active. */
export async function targetVerifyCommand(name: string, engine: Engine, output: Output, json: boolean): Promise<ExitCode> {
	const target = engine.targets().find(t => t.name === name);
	if (!target) return badFlag(output, 'target', `there is no target named ${name} (targets: ${engine.targets().map(t => t.name).join(', ')})`);
	const verification = await engine.verifyTarget(target);
	if (json) output.json(verification);
	else for (const c of verification.checks) output.line(`${c.passed ? output.paint.green('✓') : output.paint.red('✗')} ${c.check.padEnd(12)} ${c.detail}`);
	if (!verification.access) return exitCodes.awsAccess;
	return verification.checks.every(c => c.passed) ? exitCodes.success : exitCodes.deploymentFailed;
}
