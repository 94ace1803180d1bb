import { randomUUID } from 'node:crypto';
import type { BaseClock } from './clock';
import { EmulatorClock } from './clock';
import { CallCounter } from './calls';
import { lookupEvents } from '../services/cloudtrail/lookup-events';
import { EventIds, recordKmsCall } from '../services/cloudtrail/recorder';
import { handleTrails, TRAIL_OPERATIONS } from '../services/cloudtrail/trails';
import { EventDelivery } from '../services/events/delivery';
import { AwsError } from './errors';
import { Faults } from './faults';
import { Guardrails } from '../services/kms/guardrails';
import { camelCase } from '../services/kms/keys';
import type { KmsContext } from '../services/kms/context';
import { purgeExpiredKeys } from '../services/kms/deletion';
import { kmsHandlers } from '../services/kms/handlers';
import { KmsQuotas, type QuotaTable } from '../services/kms/quotas';
import { RateLimiter } from './rate-limit';
import { ServiceControls } from './controls';
import type { Caller } from './caller';
import { identifyCaller } from './caller';
import type { EmulatorState } from './state';
import { emptyState } from './state';
import { Store } from './store';
import { handleTagging } from '../services/tagging/service';

export interface CoreOptions {
  clock: BaseClock;
  trailDelayMs: number;
  lookupRatePerSecond: number;
  /** KMS request quotas per account and Region (none by default). */
  kmsQuotas?: QuotaTable;
  state?: EmulatorState;
  /** Real-time delay of each EventBridge delivery to a target (POST /_emulator/eventbridge changes it). */
  eventDeliveryDelayMs?: number;
  /** Called after anything that changes state, so persistence can save it. */
  onChange?: () => void;
}

/** What a request brings besides its body. */
export interface RequestMeta {
  authorization?: string;
  sourceIPAddress: string;
  userAgent: string;
}

export interface ServiceAnswer {
  status: number;
  body: Record<string, unknown>;
  requestId: string;
  errorType?: string;
}

// Fields CloudTrail leaves out of requestParameters because they are secret or bulky.
const UNLOGGED = new Set(['Plaintext', 'CiphertextBlob', 'Message', 'Signature', 'Mac', 'GrantTokens']);

/** The emulator without HTTP: state, clock, faults, rate limit, call counts, and the services. */
export class EmulatorCore {
  readonly store: Store;
  readonly clock: EmulatorClock;
  readonly faults = new Faults();
  readonly guardrails = new Guardrails();
  /** Denials of the emulated services' actions and services unavailable in a Region. */
  readonly services = new ServiceControls();
  readonly calls = new CallCounter();
  readonly lookupLimiter: RateLimiter;
  readonly eventDelivery: EventDelivery;
  readonly kmsQuotas: KmsQuotas;
  trailDelayMs: number;
  private seq = 0;

  constructor(private readonly options: CoreOptions) {
    this.store = new Store(options.state);
    this.clock = new EmulatorClock(options.clock, this.store.clockOffsetMs);
    this.lookupLimiter = new RateLimiter(options.lookupRatePerSecond);
    this.kmsQuotas = new KmsQuotas(options.kmsQuotas);
    this.trailDelayMs = options.trailDelayMs;
    this.eventDelivery = new EventDelivery(this, {
      deliveryDelayMs: options.eventDeliveryDelayMs ?? 0,
      drop: 0,
      duplicate: 0,
      extraDelayMs: 0,
    });
    // A loop, not Math.max(...spread): a restored trail may hold more events than a call has arguments.
    for (const list of this.store.events.values()) for (const e of list) this.seq = Math.max(this.seq, e.seq);
  }

  changed(): void {
    this.store.clockOffsetMs = this.clock.offsetMs;
    this.options.onChange?.();
  }

  async caller(meta: RequestMeta): Promise<{ caller: Caller; now: number }> {
    const now = await this.clock.now();
    return { caller: identifyCaller(this.store, meta.authorization, now), now };
  }

  /** One KMS call: answer it and record it in CloudTrail, whether it succeeded or failed. */
  async kms(operation: string, input: Record<string, unknown>, meta: RequestMeta): Promise<ServiceAnswer> {
    const { caller, now } = await this.caller(meta);
    this.calls.record(operation, caller.account, caller.region, now);
    purgeExpiredKeys(this.store, now);
    const eventIds = new EventIds(caller.account);
    const ctx: KmsContext = {
      store: this.store,
      now,
      caller,
      requestId: randomUUID(),
      eventId: eventIds.callerEventId,
      eventIdFor: (a) => eventIds.for(a),
      resources: [],
    };
    const handler = kmsHandlers[operation];
    if (!handler)
      return this.fail(ctx.requestId, new AwsError('UnknownOperationException', `KMS has no operation ${operation}.`));
    let answer: ServiceAnswer;
    let error: AwsError | undefined;
    try {
      await this.faults.apply(operation);
      this.kmsQuotas.enforce(caller.account, caller.region, operation, now);
      this.guardrails.enforce(ctx, operation, input);
      // An explicit Deny of kms:<operation> set with POST /_emulator/guardrails {"deny"} (services/controls.ts).
      const denied = this.services.denial(caller, 'kms', operation);
      if (denied) throw new AwsError('AccessDeniedException', denied);
      answer = { status: 200, body: await handler(ctx, input), requestId: ctx.requestId };
    } catch (err) {
      error =
        err instanceof AwsError
          ? err
          : new AwsError('KMSInternalException', err instanceof Error ? err.message : String(err), 500);
      answer = this.fail(ctx.requestId, error);
    }
    const requestParameters = ctx.requestParameters ?? defaultParameters(input);
    const recorded = recordKmsCall(
      this.store,
      {
        caller,
        eventName: operation,
        now,
        delayMs: this.trailDelayMs,
        seq: ++this.seq,
        requestId: ctx.requestId,
        eventId: ctx.eventId,
        sourceIPAddress: meta.sourceIPAddress,
        userAgent: meta.userAgent,
        requestParameters: Object.keys(requestParameters).length ? dropUndefined(requestParameters) : null,
        responseElements: ctx.responseElements ?? null,
        resources: ctx.resources,
        error,
      },
      eventIds,
    );
    this.eventDelivery.publishTrail(recorded);
    this.changed();
    return answer;
  }

  /** CloudTrail: LookupEvents (under the per account+Region rate limit) and the trail operations. */
  async cloudtrail(operation: string, input: Record<string, unknown>, meta: RequestMeta): Promise<ServiceAnswer> {
    const { caller, now } = await this.caller(meta);
    this.calls.record(operation, caller.account, caller.region, now);
    const requestId = randomUUID();
    try {
      if (TRAIL_OPERATIONS.has(operation)) {
        await this.faults.apply(operation);
        const body = handleTrails(this.store.trails, caller, operation, input, now);
        if (operation !== 'DescribeTrails' && operation !== 'GetTrailStatus') this.changed();
        return { status: 200, body, requestId };
      }
      if (operation !== 'LookupEvents')
        throw new AwsError(
          'UnknownOperationException',
          `This emulator's CloudTrail answers LookupEvents and the trail operations only, not ${operation}.`,
        );
      await this.faults.apply(operation);
      if (!this.lookupLimiter.take(`${caller.account}/${caller.region}`, now)) {
        throw new AwsError('ThrottlingException', 'Rate exceeded');
      }
      return { status: 200, body: lookupEvents(this.store, caller, input, now), requestId };
    } catch (err) {
      if (err instanceof AwsError) return this.fail(requestId, err);
      throw err;
    }
  }

  /** The Resource Groups Tagging API over the KMS keys (not recorded in CloudTrail, not rate-limited). */
  async tagging(operation: string, input: Record<string, unknown>, meta: RequestMeta): Promise<ServiceAnswer> {
    const { caller, now } = await this.caller(meta);
    this.calls.record(operation, caller.account, caller.region, now);
    purgeExpiredKeys(this.store, now);
    const requestId = randomUUID();
    try {
      await this.faults.apply(operation);
      const body = handleTagging(this.store, caller, operation, input, now);
      if (operation !== 'GetResources') this.changed();
      return { status: 200, body, requestId };
    } catch (err) {
      if (err instanceof AwsError) return this.fail(requestId, err);
      throw err;
    }
  }

  fail(requestId: string, error: AwsError): ServiceAnswer {
    return { status: error.status, body: error.toBody(), requestId, errorType: error.code };
  }

  reset(): void {
    this.store.load(emptyState());
    this.clock.offsetMs = 0;
    this.faults.clear();
    this.guardrails.clear();
    this.services.clear();
    this.calls.reset();
    this.lookupLimiter.reset();
    this.eventDelivery.reset();
    this.kmsQuotas.reset();
    this.changed();
  }
}

function defaultParameters(input: Record<string, unknown>): Record<string, unknown> {
  const kept = Object.fromEntries(Object.entries(input).filter(([k]) => !UNLOGGED.has(k)));
  return camelCase(kept) as Record<string, unknown>;
}

function dropUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
