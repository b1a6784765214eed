/*
 * Classifies AWS SDK errors by their name, HTTP status and code, without loading the SDK.
 * Names: smithy's service-error-classification lists (smithy-typescript, packages/core retry) and the error codes of
 * the CloudFormation and ECS API references.
 */

export type AwsErrorKind =
	/** Rate limits: back off and try again; never a deployment failure. */
	| 'throttling'
	/** Dropped connections, timeouts, 5xx: try again. */
	| 'transient'
	/** The session ended: refresh credentials, or tell the operator to sign in again. */
	| 'expired-credentials'
	/** No credentials, invalid keys, or a denied action: the operator must fix access. */
	| 'access'
	/** The stack (or change set, or service) does not exist. */
	| 'not-found'
	/** Anything else: a real error to report. */
	| 'other';

const throttlingNames = new Set([
	'BandwidthLimitExceeded',
	'EC2ThrottledException',
	'LimitExceededException',
	'PriorRequestNotComplete',
	'ProvisionedThroughputExceededException',
	'RequestLimitExceeded',
	'RequestThrottled',
	'RequestThrottledException',
	'SlowDown',
	'ThrottledException',
	'Throttling',
	'ThrottlingException',
	'TooManyRequestsException',
	'TransactionInProgressException',
	'ThrottleException',
]);
const transientNames = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const transientCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const expiredNames = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);
const accessNames = new Set([
	'AccessDenied',
	'AccessDeniedException',
	'UnrecognizedClientException',
	'InvalidClientTokenId',
	'SignatureDoesNotMatch',
	'CredentialsProviderError',
	'UnauthorizedOperation',
	'MissingAuthenticationToken',
]);

const notFoundNames = new Set([
	'ChangeSetNotFoundException',
	'ServiceNotFoundException',
	'ClusterNotFoundException',
	'ResourceNotFoundException',
	'RepositoryNotFoundException',
	'ImageNotFoundException',
	'StackNotFoundException',
]);

type ErrorLike = {
	name?: string;
	code?: string;
	message?: string;
	$metadata?: {httpStatusCode?: number};
	$retryable?: {throttling?: boolean};
	cause?: unknown;
};

export function classifyAwsError(error: unknown): AwsErrorKind {
	const e = (error ?? {}) as ErrorLike;
	const name = e.name ?? '';
	const status = e.$metadata?.httpStatusCode;
	if (throttlingNames.has(name) || status === 429 || e.$retryable?.throttling) return 'throttling';
	if (expiredNames.has(name)) return 'expired-credentials';
	if (accessNames.has(name)) return 'access';
	if (name === 'ValidationError' && /does not exist/.test(e.message ?? '')) return 'not-found';
	if (notFoundNames.has(name)) return 'not-found';
	if (transientNames.has(name) || transientCodes.has(e.code ?? '') || (status !== undefined && status >= 500) || e.$retryable) return 'transient';
	if (e.cause !== undefined && e.cause !== error) {
		const inner = classifyAwsError(e.cause);
		if (inner === 'transient') return inner;
	}
	return 'other';
}

/** The error's message for people, with its AWS name: `AccessDenied: User … is not authorized …`. */
export function describeAwsError(error: unknown): string {
	const e = (error ?? {}) as ErrorLike;
	const message = e.message ?? String(error);
	return e.name && e.name !== 'Error' && !message.startsWith(e.name) ? `${e.name}: ${message}` : message;
}

/** The IAM action named in an access-denied message, when there is one (`ecs:DescribeServices`). */
export function deniedAction(message: string): string | undefined {
	return /not authorized to perform: ([a-z0-9-]+:[A-Za-z0-9]+)/.exec(message)?.[1];
}
