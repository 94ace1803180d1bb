import { AwsError } from '../errors';
import type { Input, ServiceContext, ServiceRequest } from '../service';

export type JsonHandler = (ctx: ServiceContext, input: Input) => Record<string, unknown>;

/**
 * AWS JSON 1.0 / 1.1 (DynamoDB, Secrets Manager, CloudWatch Logs): the operation is the
 * X-Amz-Target after its prefix; errors carry their code in `x-amzn-ErrorType` and `__type`, which
 * is where the SDK looks (@smithy/core loadRestJsonErrorCode).
 */
export async function serveJson(
  ctx: ServiceContext,
  req: ServiceRequest,
  spec: { targetPrefix: string; version: '1.0' | '1.1'; handlers: Record<string, JsonHandler> },
): Promise<Response> {
  const contentType = `application/x-amz-json-${spec.version}`;
  try {
    const target = req.headers.get('x-amz-target') ?? '';
    const operation = target.startsWith(spec.targetPrefix) ? target.slice(spec.targetPrefix.length) : '';
    const handler = spec.handlers[operation];
    if (!handler)
      throw new AwsError('UnknownOperationException', `This emulator does not serve ${target || '(none)'}.`);
    await ctx.begin(operation);
    return jsonResponse(200, handler(ctx, parseBody(req.body)), ctx.requestId, contentType);
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    return jsonError(err, ctx.requestId, contentType);
  }
}

export function parseBody(text: string): Input {
  if (!text.trim()) return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Input;
  } catch {
    // fall through
  }
  throw new AwsError('SerializationException', 'The request body is not a JSON object.');
}

export function jsonResponse(
  status: number,
  body: unknown,
  requestId: string,
  contentType = 'application/json',
): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': contentType, 'x-amzn-RequestId': requestId },
  });
}

export function jsonError(err: AwsError, requestId: string, contentType = 'application/json'): Response {
  return new Response(JSON.stringify({ __type: err.code, message: err.message, Message: err.message }), {
    status: err.status,
    headers: { 'content-type': contentType, 'x-amzn-RequestId': requestId, 'x-amzn-ErrorType': err.code },
  });
}

/** Epoch seconds, as JSON protocols send timestamps. */
export const epochSeconds = (ms: number): number => ms / 1000;

/**
 * An AWS JSON answer as KMS, CloudTrail, the tagging API and EventBridge render it: the error's
 * code in `x-amzn-ErrorType` and `__type`, its text in `message` (AwsError.toBody).
 */
export function awsJson(
  version: '1.0' | '1.1',
  requestId: string,
  result: { body: Record<string, unknown> } | { error: AwsError },
): Response {
  const headers: Record<string, string> = {
    'content-type': `application/x-amz-json-${version}`,
    'x-amzn-RequestId': requestId,
  };
  if ('body' in result) return new Response(JSON.stringify(result.body), { status: 200, headers });
  headers['x-amzn-ErrorType'] = result.error.code;
  return new Response(JSON.stringify(result.error.toBody()), { status: result.error.status, headers });
}

/** The operation an X-Amz-Target names after the service's prefix ('' when it names another service). */
export function targetOperation(req: ServiceRequest, prefix: string): string {
  const target = req.headers.get('x-amz-target') ?? '';
  return target.startsWith(prefix) ? target.slice(prefix.length) : '';
}

/** A JSON request body, as the JSON services read it (an empty body is {}). */
export function parseJsonBody(text: string): Input {
  if (!text.trim()) return {};
  try {
    return JSON.parse(text) as Input;
  } catch {
    throw new AwsError('SerializationException', 'The request body is not valid JSON.');
  }
}
