/**
 * The CLI side of a bulk start: keys resolved one by one (a bad one is reported, not fatal), a
 * progress bar on a terminal while the starts go out, and the summary.
 */
import { SingleBar } from 'cli-progress';
import type { AwsClients } from '../../aws/client-factory';
import type { BulkStartEntry, BulkStartOptions, BulkStartReport } from '../../workflows/retirement/client';
import type { KeyRef } from '../../shared/arn';
import { forEachLimited } from '../../shared/limited';
import { toCliError } from '../error-translation';
import { CliError } from '../errors';
import { resolveKeyArg, type KeyArgOptions } from '../key-args';

export interface ResolvedKeys {
  keys: KeyRef[];
  /** Keys that could not be resolved, each with why. */
  failures: BulkStartEntry[];
  /** The first failure as the CLI would report it alone (a usage error for a malformed key). */
  firstError?: CliError;
}

/** Resolves every key argument on its own, dropping repeats (one retirement per key). */
export async function resolveEach(
  texts: readonly string[],
  opts: KeyArgOptions,
  clients: AwsClients,
  concurrency: number,
): Promise<ResolvedKeys> {
  const results: (KeyRef | CliError)[] = new Array<KeyRef | CliError>(texts.length);
  await forEachLimited(
    texts.map((text, i) => ({ text, i })),
    concurrency,
    async ({ text, i }) => {
      results[i] = await resolveKeyArg(text, opts, clients).catch((err: unknown) => toCliError(err));
    },
  );
  const out: ResolvedKeys = { keys: [], failures: [] };
  const seen = new Set<string>();
  results.forEach((r, i) => {
    if (r instanceof CliError) {
      out.failures.push({ key: texts[i] as string, error: r.message });
      out.firstError ??= r;
    } else if (!seen.has(r.arn)) {
      seen.add(r.arn);
      out.keys.push(r);
    }
  });
  return out;
}

/** A progress bar on stderr for many starts, on a terminal only (pipes and CI logs stay clean). */
export function startProgressBar(
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
): { onProgress: BulkStartOptions['onProgress']; stop(): void } {
  if (!stream.isTTY || total < 2) return { onProgress: undefined, stop: () => undefined };
  const bar = new SingleBar({
    stream,
    format: 'starting {bar} {value}/{total} retirements | {eta_formatted} left',
    hideCursor: true,
    clearOnComplete: true,
  });
  bar.start(total, 0);
  return { onProgress: ({ done }) => bar.update(done), stop: () => bar.stop() };
}

/** Lists every key when there are few, otherwise only the failures; then the summary. */
export function renderBulkReport(report: BulkStartReport, listAllUpTo = 50): string[] {
  const line = (e: BulkStartEntry): string =>
    e.error !== undefined
      ? `failed: ${e.key}: ${e.error}`
      : `${e.started ? 'started' : 'already running'}: ${e.workflowId ?? e.key}`;
  const shown =
    report.entries.length <= listAllUpTo ? report.entries : report.entries.filter((e) => e.error !== undefined);
  const lines = shown.map(line);
  if (report.entries.length > 1)
    lines.push(
      `started ${report.started}, already running ${report.alreadyRunning}, failed ${report.failed} (of ${report.entries.length} keys)`,
    );
  return lines;
}
