import { randomUUID } from 'node:crypto';
import type { TrailEvent } from '../../core/state';
import type { Store } from '../../core/store';
import type { KmsCall } from './record';
import { kmsEvent } from './record';
import { parseArn } from '../../core/arn';

const LOOKBACK_MS = 90 * 86_400_000;

/**
 * Event ids per recipient account. A cross-account call is logged in the caller's account and in
 * the key owner's, each copy with its own eventID and a common sharedEventID (CloudTrail User
 * Guide, "sharedEventID"); GetKeyLastUsage names the owner's copy (KMS API Reference).
 */
export class EventIds {
  private readonly ids = new Map<string, string>();

  constructor(
    readonly callerAccount: string,
    readonly callerEventId: string = randomUUID(),
  ) {}

  for(account: string): string {
    if (account === this.callerAccount) return this.callerEventId;
    let id = this.ids.get(account);
    if (!id) {
      id = randomUUID();
      this.ids.set(account, id);
    }
    return id;
  }
}

/** Appends the call's event(s), drops what LookupEvents can never return again, and returns the new events. */
export function recordKmsCall(store: Store, call: KmsCall, ids: EventIds): TrailEvent[] {
  const owners = [...new Set(call.resources.map((arn) => parseArn(arn).account))].filter(
    (a) => a && a !== call.caller.account,
  );
  const shared = owners.length > 0 ? randomUUID() : undefined;
  const own = kmsEvent(call);
  if (shared) own.record.sharedEventID = shared;
  append(store, own, call.now);
  const recorded = [own];
  for (const owner of owners) {
    const eventId = ids.for(owner);
    const copy = kmsEvent({ ...call, eventId, seq: call.seq });
    copy.account = owner;
    copy.record.recipientAccountId = owner;
    copy.record.sharedEventID = shared;
    append(store, copy, call.now);
    recorded.push(copy);
  }
  return recorded;
}

function append(store: Store, event: ReturnType<typeof kmsEvent>, now: number): void {
  const list = store.eventsOf(event.account, event.region);
  list.push(event);
  // Prune now and then: events older than 90 days are out of LookupEvents' reach for good.
  if (list.length % 1000 === 0) {
    const keep = list.filter((e) => e.eventTime >= now - LOOKBACK_MS);
    list.splice(0, list.length, ...keep);
  }
}
