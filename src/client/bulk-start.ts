/**
 * Starting many retirements at once (`start --from FILE`, many ARGs): a bounded number of start
 * requests in flight, every key answered on its own. One key's error (a malformed ARN, a refused
 * request) is reported with that key and does not stop the others. The server side of "not
 * overrunning anything" is the per-account disabling gate; this keeps the client polite to the
 * Temporal frontend.
 */
import type { Client } from '@temporalio/client';
import { forEachLimited } from '../shared/limited';
import { startRetirement, type StartRequest } from './retirements';

export const DEFAULT_START_CONCURRENCY = 16;

export interface BulkStartEntry {
  /** The key as given (an ARN, or a key id the caller resolved). */
  key: string;
  keyArn?: string;
  workflowId?: string;
  /** True: started now; false: a retirement of this key was already running. Absent on error. */
  started?: boolean;
  error?: string;
}

export interface BulkStartReport {
  entries: BulkStartEntry[];
  started: number;
  alreadyRunning: number;
  failed: number;
}

export interface BulkStartOptions {
  /** Start requests in flight at once (default 16). */
  concurrency?: number;
  onProgress?: (progress: { done: number; total: number }) => void;
}

/** Starts a retirement of each key with the same request (options, ticket, requester); in the keys' order in the report. */
export async function startMany(
  client: Client,
  taskQueue: string,
  keys: readonly string[],
  request: Omit<StartRequest, 'keyArn'>,
  options: BulkStartOptions = {},
): Promise<BulkStartReport> {
  const concurrency = options.concurrency ?? DEFAULT_START_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError(`concurrency must be a whole number of at least 1, got ${concurrency}.`);
  const entries: BulkStartEntry[] = keys.map((key) => ({ key }));
  let done = 0;
  options.onProgress?.({ done, total: entries.length });
  await forEachLimited(entries, concurrency, async (entry) => {
    try {
      const out = await startRetirement(client, taskQueue, { ...request, keyArn: entry.key });
      Object.assign(entry, { keyArn: entry.key, workflowId: out.workflowId, started: out.started });
    } catch (err) {
      entry.error = err instanceof Error ? err.message : String(err);
    }
    done += 1;
    options.onProgress?.({ done, total: entries.length });
  });
  return summarize(entries);
}

export function summarize(entries: BulkStartEntry[]): BulkStartReport {
  return {
    entries,
    started: entries.filter((e) => e.started === true).length,
    alreadyRunning: entries.filter((e) => e.started === false).length,
    failed: entries.filter((e) => e.error !== undefined).length,
  };
}
