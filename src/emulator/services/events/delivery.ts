import { trailCovers } from '../cloudtrail/trails';
import { AwsError } from '../../core/errors';
import type { EmulatorClock } from '../../core/clock';
import type { TrailEvent } from '../../core/state';
import type { Store } from '../../core/store';
import { enqueue } from '../sqs/messages';
import { notifyQueue } from '../sqs/waiters';
import { busArn } from './model';
import type { EventRule, EventTarget } from './model';
import { policyAllows } from './resource-policy';
import type { BusEvent } from './routing';
import { busOf, cloudTrailBusEvent, rulesMatching } from './routing';
import { targetInput } from './target-input';
import { parseArn } from '../../core/arn';

/** What delivery needs of the emulator core: its state, its clock, and saying that state changed. */
export interface DeliveryHost {
  readonly store: Store;
  readonly clock: EmulatorClock;
  changed(): void;
}

/**
 * Delivery settings (`POST /_emulator/eventbridge`). Delays are real time, not the emulator clock:
 * they stand for EventBridge's transit, which a waiting consumer lives through in real time.
 * `drop` and `duplicate` are probabilities (0..1) applied to each delivery to a target;
 * `extraDelayMs` adds a random 0..extraDelayMs to each delivery, so deliveries can arrive out of order.
 */
export interface DeliverySettings {
  deliveryDelayMs: number;
  drop: number;
  duplicate: number;
  extraDelayMs: number;
}

export interface TargetCounters {
  delivered: number;
  dropped: number;
  duplicated: number;
  failed: number;
  lastError?: string;
}

export interface DeliveryCounters extends Omit<TargetCounters, 'lastError'> {
  /** Events put on a bus (CloudTrail records of covered accounts, PutEvents, forwards). */
  published: number;
  /** (event, rule) pairs that matched. */
  matched: number;
  pending: number;
  byTarget: Record<string, TargetCounters>;
}

const fresh = (): DeliveryCounters => ({
  published: 0,
  matched: 0,
  delivered: 0,
  dropped: 0,
  duplicated: 0,
  failed: 0,
  pending: 0,
  byTarget: {},
});

/** Routes events to rules and their targets, asynchronously, as EventBridge does (best effort). */
export class EventDelivery {
  private settings: DeliverySettings;
  private counters = fresh();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly host: DeliveryHost,
    private readonly defaults: DeliverySettings = { deliveryDelayMs: 0, drop: 0, duplicate: 0, extraDelayMs: 0 },
  ) {
    this.settings = { ...defaults };
  }

  configure(input: Record<string, unknown>): DeliverySettings {
    const next = { ...this.settings };
    for (const [name, value] of Object.entries(input)) {
      if (!(name in next))
        throw new AwsError(
          'ValidationException',
          `Unknown setting ${name}: use deliveryDelayMs, drop, duplicate, extraDelayMs.`,
        );
      const probability = name === 'drop' || name === 'duplicate';
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (probability && value > 1))
        throw new AwsError(
          'ValidationException',
          `${name} must be ${probability ? 'a probability from 0 to 1' : 'a non-negative number of milliseconds'}, got ${JSON.stringify(value)}.`,
        );
      next[name as keyof DeliverySettings] = value;
    }
    this.settings = next;
    return this.view().settings;
  }

  view(): { settings: DeliverySettings; counters: DeliveryCounters } {
    return {
      settings: { ...this.settings },
      counters: { ...structuredClone(this.counters), pending: this.timers.size },
    };
  }

  /** Forgets settings (back to the start-up defaults), counters and pending deliveries. */
  reset(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.settings = { ...this.defaults };
    this.counters = fresh();
  }

  /**
   * CloudTrail records just stored: each goes to the default bus of its account and Region if a
   * trail with logging on covers them (EventBridge receives AWS API call events only from a trail).
   */
  publishTrail(events: TrailEvent[]): void {
    const org = this.host.store.eventbridge.organization?.accounts ?? [];
    for (const trail of events) {
      if (!trailCovers(this.host.store.trails, trail.account, trail.region, org)) continue;
      this.putOnBus(busArn(trail.region, trail.account, 'default'), cloudTrailBusEvent(trail));
    }
  }

  /** An event arriving on a bus: every rule that takes it sends it to each of its targets. */
  putOnBus(bus: string, event: BusEvent): void {
    this.counters.published += 1;
    for (const rule of rulesMatching(this.host.store.eventbridge, bus, event)) {
      this.counters.matched += 1;
      for (const target of rule.targets) this.schedule(rule, target, event);
    }
  }

  private count(target: EventTarget): TargetCounters {
    return (this.counters.byTarget[target.Arn] ??= { delivered: 0, dropped: 0, duplicated: 0, failed: 0 });
  }

  private schedule(rule: EventRule, target: EventTarget, event: BusEvent): void {
    const { drop, duplicate, deliveryDelayMs, extraDelayMs } = this.settings;
    if (drop > 0 && Math.random() < drop) {
      this.counters.dropped += 1;
      this.count(target).dropped += 1;
      return;
    }
    let copies = 1;
    if (duplicate > 0 && Math.random() < duplicate) {
      copies = 2;
      this.counters.duplicated += 1;
      this.count(target).duplicated += 1;
    }
    for (let i = 0; i < copies; i++) {
      const delay = deliveryDelayMs + Math.random() * extraDelayMs;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.deliver(rule, target, event);
      }, delay);
      this.timers.add(timer);
    }
  }

  private async deliver(rule: EventRule, target: EventTarget, event: BusEvent): Promise<void> {
    try {
      const { service, region, account, resource } = parseArn(target.Arn);
      if (service === 'sqs') await this.toQueue(rule, target, event, `${region}/${account}/${resource}`);
      else if (service === 'events' && resource.startsWith('event-bus/')) this.toBus(rule, target, event);
      else throw new Error(`the emulator delivers to SQS queues and event buses only, not ${target.Arn}`);
      this.counters.delivered += 1;
      this.count(target).delivered += 1;
    } catch (err) {
      this.counters.failed += 1;
      this.count(target).failed += 1;
      this.count(target).lastError = (err as Error).message;
    }
  }

  private async toQueue(rule: EventRule, target: EventTarget, event: BusEvent, where: string): Promise<void> {
    const queue = this.host.store.sqs.queues[target.Arn];
    if (!queue) throw new Error(`queue ${where} does not exist`);
    // SQS targets need a queue policy letting events.amazonaws.com send (EventBridge User Guide,
    // "Amazon SQS permissions"), usually with aws:SourceArn naming the rule.
    const allowed = policyAllows(queue.attributes.Policy, 'sqs:SendMessage', queue.arn, {
      service: 'events.amazonaws.com',
      sourceArn: rule.arn,
      sourceAccount: rule.account,
    });
    if (!allowed)
      throw new Error(
        `the policy of ${queue.arn} does not allow events.amazonaws.com sqs:SendMessage from ${rule.arn}`,
      );
    enqueue(queue, targetInput(target, event), 'AIDAIEVENTBRIDGE', await this.host.clock.now());
    notifyQueue(this.host.store, queue.arn);
    this.host.changed();
  }

  private toBus(rule: EventRule, target: EventTarget, event: BusEvent): void {
    const bus = this.host.store.eventbridge.buses[target.Arn];
    const { region, account, resource } = parseArn(target.Arn);
    const isDefault = resource === 'event-bus/default';
    if (!bus && !isDefault) throw new Error(`event bus ${target.Arn} does not exist`);
    if (region !== rule.region) throw new Error('event bus targets must be in the rule’s Region');
    if (account !== rule.account) {
      const org = this.host.store.eventbridge.organization;
      const orgId = org?.accounts.includes(rule.account) ? org.id : undefined;
      if (!policyAllows(bus?.policy, 'events:PutEvents', target.Arn, { account: rule.account, orgId }))
        throw new Error(`the policy of ${target.Arn} does not admit account ${rule.account}`);
    }
    if (target.Arn === busOf(rule)) throw new Error('a rule may not target its own bus');
    this.putOnBus(target.Arn, event);
  }
}
