/**
 * Patience within a listing: a call that fails with throttling, a 5xx or a network error is tried
 * again, with exponential backoff and full jitter ("Exponential Backoff And Jitter", AWS
 * Architecture Blog), for up to a retry window (`--dependents-retry-for`, default 1 h). Only the
 * failing call is retried, not the whole listing. A refusal (ProbeDenied), a service not served in
 * the Region (ProbeUnavailable) and validation errors are answers retrying cannot change: they
 * leave at once, and the probe is unknown as before. After the window the last failure leaves.
 */
import type { Now, Sleep } from '../../aws/pacing/pacer';

/** The failure types of errors.ts that a later try may not meet: throttling, outages, the network. */
export const TRANSIENT_TYPES: ReadonlySet<string> = new Set([
  'Throttling',
  'ServiceUnavailable',
  'KMSInternal',
  'DependencyTimeout',
  'Network',
]);

export interface Patience {
  /** How long one call may keep failing transiently before its failure counts (ms). */
  retryForMs: number;
  now?: Now;
  sleep?: Sleep;
  /** 0 ≤ random() < 1, for the jitter (tests pass a fixed one). */
  random?: () => number;
}

/** The first wait and the longest; waits double in between. */
const FIRST_WAIT_MS = 500;
const LONGEST_WAIT_MS = 60_000;

const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function isTransient(err: unknown): boolean {
  const type = (err as { type?: unknown } | null)?.type;
  return typeof type === 'string' && TRANSIENT_TYPES.has(type);
}

/** Runs `attempt` until it succeeds, fails for good, or has failed transiently for the whole window. */
export async function patiently<T>(attempt: () => Promise<T>, patience: Patience | undefined): Promise<T> {
  if (!patience || patience.retryForMs <= 0) return attempt();
  const now = patience.now ?? Date.now;
  const sleep = patience.sleep ?? realSleep;
  const random = patience.random ?? Math.random;
  let deadline: number | undefined;
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (err) {
      if (!isTransient(err)) throw err;
      const at = await now();
      deadline ??= at + patience.retryForMs;
      if (at >= deadline) throw err;
      const cap = Math.min(LONGEST_WAIT_MS, FIRST_WAIT_MS * 2 ** Math.min(tries, 20));
      await sleep(Math.min(deadline - at, Math.max(1, random() * cap)));
    }
  }
}
