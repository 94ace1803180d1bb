/** Progress for one-time builds goes to stderr so that `--json` output on stdout stays clean. */
export type ProgressFn = (message: string) => void;

export const stderrProgress: ProgressFn = (message) => {
  process.stderr.write(`[kms-retire toolchain] ${message}\n`);
};

export const silentProgress: ProgressFn = () => undefined;

/** Prints "still working" every interval while a long step runs. */
export function heartbeat(progress: ProgressFn, what: string, intervalMs = 15_000): () => void {
  const started = Date.now();
  const timer = setInterval(() => {
    progress(`${what}: still working, ${Math.round((Date.now() - started) / 1000)}s so far`);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
