/**
 * The push intake's metrics (`kms-retire worker --events`): messages received from the queue,
 * refused uses delivered to a retirement, and what was dropped, by a bounded reason. Registered
 * in the worker's registry beside the retirements' metrics (docs/operating.md lists them).
 */
import { Counter, type Registry } from 'prom-client';

/** Why a pushed event concerned no retirement (or not yet): the `reason` label. */
export const DROP_REASONS = [
  'not-json',
  'not-kms-cloudtrail',
  'not-refused-use',
  'no-key',
  'incomplete',
  'not-retiring',
  'not-watching',
  'before-watch',
  'duplicate',
  'other-key',
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export interface EventsMetrics {
  /** Messages received from the queue. */
  received(count: number): void;
  /** A refused use a retirement took. */
  delivered(): void;
  /** A message or one of its uses that concerns no retirement; the message is deleted. */
  dropped(reason: DropReason): void;
  /** A message left in the queue to come back (Temporal unreachable, a key being disabled). */
  kept(): void;
}

export const NO_EVENTS_METRICS: EventsMetrics = {
  received: () => undefined,
  delivered: () => undefined,
  dropped: () => undefined,
  kept: () => undefined,
};

export function createEventsMetrics(registry: Registry): EventsMetrics {
  const received = new Counter({
    name: 'kms_retire_events_received_total',
    help: 'EventBridge events received from the push queue',
    registers: [registry],
  });
  const delivered = new Counter({
    name: 'kms_retire_events_delivered_total',
    help: 'Pushed refused uses taken by a retirement',
    registers: [registry],
  });
  const dropped = new Counter({
    name: 'kms_retire_events_dropped_total',
    help: 'Pushed events (or their uses) that concern no retirement, by reason; deleted from the queue',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const kept = new Counter({
    name: 'kms_retire_events_kept_total',
    help: 'Pushed events left in the queue to be received again (Temporal unreachable, a key being disabled)',
    registers: [registry],
  });
  for (const reason of DROP_REASONS) dropped.inc({ reason }, 0);
  return {
    received: (n) => received.inc(n),
    delivered: () => delivered.inc(),
    dropped: (reason) => dropped.inc({ reason }),
    kept: () => kept.inc(),
  };
}
