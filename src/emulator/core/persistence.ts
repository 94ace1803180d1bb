import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { EmulatorState } from './state';

/** Reads a `--state FILE`; a missing file is a fresh start, a damaged one is an error naming the file. */
export function loadState(file: string): EmulatorState | undefined {
  if (!existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(
      `State file ${file} is not valid JSON (${(err as Error).message}); move it away or pass another --state file.`,
      { cause: err },
    );
  }
  const state = parsed as Partial<EmulatorState>;
  if (state.version !== 1 || !Array.isArray(state.keys) || !Array.isArray(state.events)) {
    throw new Error(
      `State file ${file} is not an emulator state file (version 1); move it away or pass another --state file.`,
    );
  }
  return {
    aliases: [],
    grants: [],
    principals: [],
    clockOffsetMs: 0,
    resources: [],
    goneKeys: [],
    ...state,
  } as EmulatorState;
}

/**
 * Saves state shortly after each change (coalescing bursts) and on flush(). Writes go to a
 * temporary file first and are renamed into place, so a crash never leaves half a file.
 */
export class StateWriter {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly file: string,
    private readonly snapshot: () => EmulatorState,
    private readonly delayMs = 50,
  ) {}

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.delayMs);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const tmp = `${this.file}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify(this.snapshot()));
    renameSync(tmp, this.file);
  }
}
