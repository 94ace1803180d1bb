/**
 * The per-account disabling gate: at most `limit` retirements of one account in their disabling
 * step at a time, the rest queued first come, first served. The bookkeeping of permits and
 * queue; no I/O, time passed in. Safe inside workflows.
 */
import type { DisablingGateCarry, DisablingGateConfig } from './gate-config';

/** What the gate's query answers. */
export interface DisablingGateState {
  account: string;
  limit: number;
  leaseMs: number;
  holders: { workflowId: string; grantedAt: string; leaseEndsAt: string }[];
  queued: number;
  /** For the workflow asked about: 0 while it holds a permit, 1.. its place in the queue; absent if neither. */
  position?: number;
}

/** The gate's bookkeeping: who holds a permit since when, who waits in which order. */
export class GateBook {
  readonly holders = new Map<string, number>();
  readonly queue: string[] = [];
  /** The queue's members, for membership checks in O(1) with thousands waiting. */
  private readonly waiting = new Set<string>();

  constructor(
    readonly config: DisablingGateConfig,
    carry?: DisablingGateCarry,
  ) {
    for (const h of carry?.holders ?? []) this.holders.set(h.workflowId, h.grantedAt);
    for (const id of carry?.queue ?? []) this.request(id);
  }

  /** A second request from a holder or a queued workflow changes nothing. */
  request(workflowId: string): void {
    if (this.holders.has(workflowId) || this.waiting.has(workflowId)) return;
    this.queue.push(workflowId);
    this.waiting.add(workflowId);
  }

  /** Frees a holder's permit or takes a queued entry out; from anyone else a no-op. */
  release(workflowId: string): void {
    if (this.holders.delete(workflowId) || !this.waiting.delete(workflowId)) return;
    const i = this.queue.indexOf(workflowId);
    if (i >= 0) this.queue.splice(i, 1);
  }

  /** Takes back permits held past their lease; returns whose. */
  reclaim(now: number): string[] {
    const expired = [...this.holders].filter(([, at]) => now - at >= this.config.leaseMs).map(([id]) => id);
    for (const id of expired) this.holders.delete(id);
    return expired;
  }

  /** Moves the head of the queue into the free permits; returns who was granted one. */
  grant(now: number): string[] {
    const granted: string[] = [];
    while (this.holders.size < this.config.limit && this.queue.length > 0) {
      const id = this.queue.shift() as string;
      this.waiting.delete(id);
      this.holders.set(id, now);
      granted.push(id);
    }
    return granted;
  }

  /** When the earliest lease runs out (epoch ms), or undefined with no holder. */
  nextLeaseEnd(): number | undefined {
    let earliest: number | undefined;
    for (const at of this.holders.values()) earliest = earliest === undefined ? at : Math.min(earliest, at);
    return earliest === undefined ? undefined : earliest + this.config.leaseMs;
  }

  get idle(): boolean {
    return this.holders.size === 0 && this.queue.length === 0;
  }

  position(workflowId: string): number | undefined {
    if (this.holders.has(workflowId)) return 0;
    if (!this.waiting.has(workflowId)) return undefined;
    const i = this.queue.indexOf(workflowId);
    return i >= 0 ? i + 1 : undefined;
  }

  state(account: string, workflowId?: string): DisablingGateState {
    const iso = (ms: number): string => new Date(ms).toISOString();
    return {
      account,
      limit: this.config.limit,
      leaseMs: this.config.leaseMs,
      holders: [...this.holders].map(([id, at]) => ({
        workflowId: id,
        grantedAt: iso(at),
        leaseEndsAt: iso(at + this.config.leaseMs),
      })),
      queued: this.queue.length,
      position: workflowId === undefined ? undefined : this.position(workflowId),
    };
  }

  carry(): DisablingGateCarry {
    return {
      holders: [...this.holders].map(([workflowId, grantedAt]) => ({ workflowId, grantedAt })),
      queue: [...this.queue],
    };
  }
}
