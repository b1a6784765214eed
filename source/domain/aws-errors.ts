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

/** An error that ended a run, for people: its code, its message, and what to try. */
export type ErrorReport = {code: string; message: string; hint: string};

/** Texts the SDK gives when an answer is not an AWS response at all (an HTML error page, a proxy's reply). */
const unreadableAnswer = /XML parse error|Unexpected token '?<|Deserialization error|is not valid JSON|char '<'|Expected closing tag/i;

/**
 * Describes any error that ended a run, whatever its kind: the AWS error code (or the JavaScript error's
 * name), its message, and a hint for what the operator can do. `operation` is the AWS call that failed.
 */
export function reportError(error: unknown, operation?: string): ErrorReport {
	const e = (error ?? {}) as ErrorLike & {$response?: {statusCode?: number}};
	const raw = e.message ?? String(error);
	const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
	const code = e.name && e.name !== 'Error' ? e.name : (e.code ?? 'Error');
	const where = operation ? ` (${operation})` : '';
	if (unreadableAnswer.test(raw)) {
		return {
			code: status ? `HTTP ${status}` : code,
			message: `the AWS endpoint${where} answered with something that is not an AWS response${status ? ` (HTTP ${status})` : ''}: ${raw}`,
			hint: 'the endpoint may be failing or not be AWS at all (an HTML error page, a proxy): try again later, and check --endpoint-url / AWS_ENDPOINT_URL and the network in between',
		};
	}
	const kind = classifyAwsError(error);
	const message = `${raw}${where}`;
	if (code === 'ClusterNotFoundException' || /cluster not found/i.test(raw)) {
		return {code, message, hint: 'the cluster does not exist in this account and region: check the target (ecs-deployer target verify NAME), or create the cluster'};
	}
	if (code === 'ServiceNotFoundException' || code === 'ServiceNotActiveException') {
		return {code, message, hint: 'the stack names an ECS service that does not exist (any more): look at the stack (ecs-deployer events) and deploy again'};
	}
	if (kind === 'transient') return {code, message, hint: 'AWS could not be reached after several tries: check the network, the endpoint and the region, then try again'};
	if (kind === 'not-found') return {code, message, hint: 'AWS does not know something this run refers to: check the recipe and the target (account, region, cluster)'};
	if (code === 'ValidationError' || code === 'InvalidParameterException' || code === 'ClientException') {
		return {code, message, hint: 'AWS refused the request; its message says why: check the recipe (ecs-deployer validate) and the target'};
	}
	return {code, message, hint: 'this error was not expected here: try again, and if it persists run with DEBUG=1 to see where it came from and report it'};
}
