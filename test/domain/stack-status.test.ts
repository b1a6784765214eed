import {describe, expect, test} from 'vitest';
import {classifyAwsError, deniedAction, describeAwsError} from '../../source/domain/aws-errors.js';
import {isFailure, isInProgress, isNoChangesReason, isSuccess, planDeployment} from '../../source/domain/stack-status.js';

describe('planDeployment', () => {
	test.each([
		[undefined, 'create'],
		['REVIEW_IN_PROGRESS', 'create'],
		['CREATE_COMPLETE', 'update'],
		['UPDATE_COMPLETE', 'update'],
		['UPDATE_ROLLBACK_COMPLETE', 'update'],
		['IMPORT_COMPLETE', 'update'],
		['CREATE_IN_PROGRESS', 'wait'],
		['UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'wait'],
		['UPDATE_ROLLBACK_IN_PROGRESS', 'wait'],
		['DELETE_IN_PROGRESS', 'wait'],
		['ROLLBACK_COMPLETE', 'recreate'],
		['ROLLBACK_FAILED', 'recreate'],
		['CREATE_FAILED', 'recreate'],
		['DELETE_FAILED', 'recreate'],
		['UPDATE_ROLLBACK_FAILED', 'continue-rollback'],
	])('%s → %s', (status, kind) => expect(planDeployment(status).kind).toBe(kind));
});

describe('status classes', () => {
	test('in progress, success, failure', () => {
		expect(isInProgress('REVIEW_IN_PROGRESS')).toBe(false);
		expect(isInProgress('UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS')).toBe(true);
		expect(isSuccess('UPDATE_COMPLETE')).toBe(true);
		expect(isSuccess('UPDATE_ROLLBACK_COMPLETE')).toBe(false);
		expect(isFailure('UPDATE_ROLLBACK_COMPLETE')).toBe(true);
		expect(isFailure('ROLLBACK_COMPLETE')).toBe(true);
		expect(isFailure('DELETE_FAILED')).toBe(true);
	});
	test('no-change reasons from change sets and UpdateStack', () => {
		expect(isNoChangesReason("The submitted information didn't contain changes. Submit different information to create a change set.")).toBe(true);
		expect(isNoChangesReason('No updates are to be performed.')).toBe(true);
		expect(isNoChangesReason('Template format error')).toBe(false);
	});
});

describe('classifyAwsError', () => {
	const e = (name: string, status = 400, extra: object = {}) => Object.assign(new Error('x'), {name, $metadata: {httpStatusCode: status}}, extra);
	test.each([
		[e('Throttling'), 'throttling'],
		[e('ThrottlingException'), 'throttling'],
		[e('Anything', 429), 'throttling'],
		[e('ExpiredToken', 403), 'expired-credentials'],
		[e('ExpiredTokenException'), 'expired-credentials'],
		[e('AccessDenied', 403), 'access'],
		[e('UnrecognizedClientException'), 'access'],
		[e('CredentialsProviderError'), 'access'],
		[e('InternalFailure', 500), 'transient'],
		[e('TimeoutError', 0, {code: 'ECONNRESET'}), 'transient'],
		[Object.assign(new Error('socket hang up'), {code: 'ECONNRESET'}), 'transient'],
		[Object.assign(new Error('Stack with id x does not exist'), {name: 'ValidationError'}), 'not-found'],
		[e('ValidationError'), 'other'],
	])('%s', (error, kind) => expect(classifyAwsError(error)).toBe(kind));

	test('messages keep the AWS name; denied actions are found', () => {
		expect(describeAwsError(Object.assign(new Error('Rate exceeded'), {name: 'Throttling'}))).toBe('Throttling: Rate exceeded');
		expect(deniedAction('User: arn:aws:sts::1:assumed-role/r/me is not authorized to perform: ecs:DescribeServices on resource: x')).toBe('ecs:DescribeServices');
	});
});
