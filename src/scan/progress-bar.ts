/** A progress bar on stderr while a scan runs, on a terminal only (pipes and CI logs stay clean). */
import { SingleBar } from 'cli-progress';

export interface ScanProgress {
  update(progress: { done: number; total: number }): void;
  stop(): void;
}

export function scanProgressBar(stream: NodeJS.WriteStream = process.stderr): ScanProgress {
  if (!stream.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    stream,
    format: 'scanning {bar} {value}/{total} keys | {eta_formatted} left',
    hideCursor: true,
    clearOnComplete: true,
  });
  let started = false;
  return {
    update({ done, total }) {
      if (!started) {
        bar.start(total, done);
        started = true;
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
