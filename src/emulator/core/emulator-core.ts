import type { BaseClock } from './clock';
import { EmulatorClock } from './clock';
import { CallCounter } from './calls';
import { EventDelivery } from '../services/events/delivery';
import { Faults } from './faults';
import { Guardrails } from '../services/kms/guardrails';
import { KmsQuotas, type QuotaTable } from '../services/kms/quotas';
import { RateLimiter } from './rate-limit';
import { ServiceControls } from './controls';
import type { Caller, RequestMeta } from './caller';
import { identifyCaller } from './caller';
import type { EmulatorState } from './state';
import { emptyState } from './state';
import { Store } from './store';

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

  /** The sequence number of the next CloudTrail record (KMS calls), in arrival order. */
  nextTrailSeq(): number {
    return ++this.seq;
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
