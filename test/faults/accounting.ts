/**
 * Counting irreversible calls from the emulator's own CloudTrail: every KMS call it received is
 * recorded with its key and, if it failed, its error code. "Accepted" calls are those AWS acted
 * on. A repeat of the same call right after itself (a retried activity whose first attempt did
 * reach AWS before the worker died) changes nothing; it is counted, and reported apart. Preflight's
 * rollback proof (EnableKey on an Enabled key, CancelKeyDeletion on a key not pending deletion)
 * changes nothing either: its calls carry their own User-Agent mark, and are left out.
 */
import type { RunningEmulator } from '../../src/emulator';
import { ROLLBACK_PROOF_USER_AGENT } from '../../src/workflows/retirement/rules/rollback';
import { IRREVERSIBLE, type CastKey, type Irreversible } from './cast';

export interface KeyCalls {
  /** Every irreversible call that reached the emulator, accepted or not. */
  attempts: number;
  /** Accepted irreversible calls, in order. */
  accepted: Irreversible[];
  /** The accepted calls that changed the key: back-to-back repeats folded. */
  effective: Irreversible[];
  /** Accepted calls of any state-changing kind (tags included), for keys that must stay untouched. */
  mutations: string[];
}

const MUTATING = new Set<string>([...IRREVERSIBLE, 'TagResource', 'UntagResource']);

export function callsByKey(emulator: RunningEmulator, keys: readonly CastKey[]): Map<string, KeyCalls> {
  const out = new Map<string, KeyCalls>(
    keys.map((k) => [k.arn, { attempts: 0, accepted: [], effective: [], mutations: [] }]),
  );
  const events = [...emulator.core.store.toState().events].sort((a, b) => a.seq - b.seq);
  for (const event of events) {
    if (event.eventSource !== 'kms.amazonaws.com' || !MUTATING.has(event.eventName)) continue;
    const agent = event.record.userAgent;
    if (typeof agent === 'string' && agent.includes(ROLLBACK_PROOF_USER_AGENT)) continue;
    const arn = event.resources.map((r) => r.ResourceName).find((name) => out.has(name));
    const calls = arn === undefined ? undefined : out.get(arn);
    if (!calls) continue;
    const failed = event.record.errorCode !== undefined;
    if ((IRREVERSIBLE as readonly string[]).includes(event.eventName)) {
      calls.attempts += 1;
      if (!failed) {
        const op = event.eventName as Irreversible;
        calls.accepted.push(op);
        if (calls.effective[calls.effective.length - 1] !== op) calls.effective.push(op);
      }
    }
    if (!failed) calls.mutations.push(event.eventName);
  }
  return out;
}

export interface Tally {
  needed: number;
  accepted: number;
  effective: number;
  attempts: number;
  /** Accepted calls beyond the needed ones that changed nothing (back-to-back repeats). */
  repeats: number;
}

export function tally(keys: readonly CastKey[], calls: Map<string, KeyCalls>): Tally {
  const t: Tally = { needed: 0, accepted: 0, effective: 0, attempts: 0, repeats: 0 };
  for (const key of keys) {
    const c = calls.get(key.arn);
    if (!c) continue;
    t.needed += key.expect.needs.length;
    t.accepted += c.accepted.length;
    t.effective += c.effective.length;
    t.attempts += c.attempts;
    t.repeats += c.accepted.length - c.effective.length;
  }
  return t;
}
