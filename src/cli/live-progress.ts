/**
 * Following running retirements: poll their status query and show one line per key, re-rendered
 * in place on a terminal, as plain lines (only when something changed) in a log or a pipe.
 */
import type { Client } from '@temporalio/client';
import { statusQuery, type RetirementStatus } from '../workflows/retirement/messages';
import { isDecided } from '../workflows/retirement/client';
import { statusLine } from './status-line';

export interface Tracked {
  workflowId: string;
  keyArn: string;
  label: string;
}

export interface Followed extends Tracked {
  status?: RetirementStatus;
}

export interface LineSink {
  write(text: string): unknown;
  isTTY?: boolean;
  /** A terminal's width: longer lines are cut, since a wrapped line would spoil the re-render. */
  columns?: number;
}

/** Re-renders a block of lines in place on a TTY; elsewhere prints each line that changed. */
export class ProgressRenderer {
  private shown: string[] = [];

  constructor(private readonly sink: LineSink) {}

  render(lines: readonly string[]): void {
    if (this.sink.isTTY) {
      const up = this.shown.length ? `\x1b[${this.shown.length}F` : '';
      const width = this.sink.columns && this.sink.columns > 20 ? this.sink.columns - 1 : undefined;
      const fit = (l: string): string => (width && l.length > width ? `${l.slice(0, width - 1)}…` : l);
      this.sink.write(`${up}${lines.map((l) => `\x1b[2K${fit(l)}\n`).join('')}`);
    } else {
      // Compare without the countdown so a log gets a line per change, not per second.
      const changed = lines.filter((l, i) => stable(l) !== stable(this.shown[i] ?? ''));
      for (const line of changed) this.sink.write(`${line}\n`);
    }
    this.shown = [...lines];
  }
}

const stable = (line: string): string => line.replace(/ends in [0-9dhms]+/, 'ends in …');

export interface FollowOptions {
  intervalMs?: number;
  /** Stop when every retirement satisfies this (default: deletion scheduled or a terminal outcome). */
  until?: (s: RetirementStatus | undefined) => boolean;
  sink?: LineSink;
  signal?: AbortSignal;
  now?: () => number;
}

/** Polls until every retirement is decided (or `signal` aborts); returns the last status of each. */
export async function followRetirements(
  client: Client,
  tracked: readonly Tracked[],
  options: FollowOptions = {},
): Promise<Followed[]> {
  const until = options.until ?? isDecided;
  const now = options.now ?? Date.now;
  const renderer = options.sink ? new ProgressRenderer(options.sink) : undefined;
  const state: Followed[] = tracked.map((t) => ({ ...t }));
  for (;;) {
    await Promise.all(
      state.map(async (f) => {
        if (f.status && until(f.status)) return;
        // Before the worker has run the first task a query may fail: keep the last answer.
        f.status =
          (await client.workflow
            .getHandle(f.workflowId)
            .query(statusQuery)
            .catch(() => undefined)) ?? f.status;
      }),
    );
    renderer?.render(state.map((f) => statusLine(f.label, f.keyArn, f.status, now())));
    if (state.every((f) => until(f.status)) || options.signal?.aborted) return state;
    await sleep(options.intervalMs ?? 1000, options.signal);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
