/** An SDK-shaped service error: `name` is the AWS error code, with `$metadata` and `$fault`. */
export function sandboxError(name: string, message: string, status = 400): Error {
	return Object.assign(new Error(message), {name, $fault: status >= 500 ? 'server' : 'client', $metadata: {httpStatusCode: status, requestId: 'sandbox', attempts: 1, totalRetryDelay: 0}});
}
