import { AwsError } from '../../core/errors';
import { awsJson, parseJsonBody, targetOperation } from '../../core/protocol/json';
import type { ServiceModule } from '../../core/service';
import { EventIds, recordKmsCall } from '../cloudtrail/recorder';
import type { KmsContext } from './context';
import { purgeExpiredKeys } from './deletion';
import { kmsHandlers } from './handlers';
import { camelCase } from './keys';

const TARGET = 'TrentService.';
// Fields CloudTrail leaves out of requestParameters because they are secret or bulky.
const UNLOGGED = new Set(['Plaintext', 'CiphertextBlob', 'Message', 'Signature', 'Mac', 'GrantTokens']);

/**
 * KMS over AWS JSON 1.1 (X-Amz-Target TrentService.<Op>). Every call is recorded in CloudTrail,
 * whether it succeeded or failed, and handed to EventBridge's delivery. Its own admission checks
 * come after the fault table: the request quotas per account and Region (quotas.ts), then the
 * guardrails (guardrails.ts).
 */
export const kms: ServiceModule = {
  name: 'kms',
  protocol: 'json-1.1',
  targets: [TARGET],
  countsPeaks: true,
  denied: (message) => new AwsError('AccessDeniedException', message),
  // Every call leaves a CloudTrail record (and may leave a last usage) to be saved.
  readOnly: () => false,
  async serve(ctx, req) {
    const { core, caller, now } = ctx;
    const operation = targetOperation(req, TARGET);
    // A key whose deletion date has passed is gone before any KMS call (or tagging call) sees it.
    purgeExpiredKeys(ctx.store, now);
    const handler = kmsHandlers[operation];
    let input: Record<string, unknown>;
    try {
      input = parseJsonBody(req.body);
    } catch (err) {
      // Unreadable: no call to answer, count or record.
      if (err instanceof AwsError) return awsJson('1.1', ctx.requestId, { error: err });
      throw err;
    }
    if (!handler)
      return awsJson('1.1', ctx.requestId, {
        error: new AwsError('UnknownOperationException', `KMS has no operation ${operation}.`),
      });
    const eventIds = new EventIds(caller.account);
    const kctx: KmsContext = {
      store: ctx.store,
      now,
      caller,
      requestId: ctx.requestId,
      eventId: eventIds.callerEventId,
      eventIdFor: (a) => eventIds.for(a),
      resources: [],
    };
    let body: Record<string, unknown> | undefined;
    let error: AwsError | undefined;
    try {
      await ctx.begin(operation, {
        admit: () => {
          core.kmsQuotas.enforce(caller.account, caller.region, operation, now);
          core.guardrails.enforce(kctx, operation, input);
        },
      });
      body = await handler(kctx, input);
    } catch (err) {
      error =
        err instanceof AwsError
          ? err
          : new AwsError('KMSInternalException', err instanceof Error ? err.message : String(err), 500);
    }
    const requestParameters = kctx.requestParameters ?? defaultParameters(input);
    const recorded = recordKmsCall(
      ctx.store,
      {
        caller,
        eventName: operation,
        now,
        delayMs: core.trailDelayMs,
        seq: core.nextTrailSeq(),
        requestId: ctx.requestId,
        eventId: kctx.eventId,
        sourceIPAddress: req.meta.sourceIPAddress,
        userAgent: req.meta.userAgent,
        requestParameters: Object.keys(requestParameters).length ? dropUndefined(requestParameters) : null,
        responseElements: kctx.responseElements ?? null,
        resources: kctx.resources,
        error,
      },
      eventIds,
    );
    core.eventDelivery.publishTrail(recorded);
    return awsJson('1.1', ctx.requestId, error ? { error } : { body: body ?? {} });
  },
};

function defaultParameters(input: Record<string, unknown>): Record<string, unknown> {
  const kept = Object.fromEntries(Object.entries(input).filter(([k]) => !UNLOGGED.has(k)));
  return camelCase(kept) as Record<string, unknown>;
}

function dropUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
