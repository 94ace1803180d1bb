/**
 * Runs `node bin/kms-retire.js worker` (the built CLI, as operators run it) as a separate process,
 * kills it with SIGKILL at seeded random moments after it starts polling, and starts it again, as
 * a process supervisor would. A worker that exits by itself (Temporal down during the dev
 * server's restart) is started again too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Prng } from './prng';

export const CLI = path.resolve(__dirname, '../../bin/kms-retire.js');

export interface SupervisorOptions {
  name: string;
  env: NodeJS.ProcessEnv;
  rng: Prng;
  /** A kill lands this long after the worker reports that it polls: [min, max] ms. */
  killAfterMs: [number, number];
  /** Pause before a restart, as a supervisor's backoff: [min, max] ms. */
  restartAfterMs: [number, number];
  /**
   * Crashes to inject at most. Each kill strands what the worker was doing until Temporal's
   * timeouts notice (an activity: its 1-minute start-to-close), so a handful is enough.
   */
  maxKills: number;
}

export interface SupervisorStats {
  starts: number;
  /** SIGKILLs of a worker that was polling (crashes injected). */
  kills: number;
  /** Exits the worker made by itself (e.g. Temporal unreachable at start). */
  selfExits: number;
}

export class WorkerSupervisor {
  readonly stats: SupervisorStats = { starts: 0, kills: 0, selfExits: 0 };
  readonly log: string[] = [];
  private child?: ChildProcess;
  private killing = true;
  private stopped = false;
  private killTimer?: NodeJS.Timeout;
  private restartTimer?: NodeJS.Timeout;

  constructor(private readonly options: SupervisorOptions) {}

  start(): void {
    if (this.stopped) return;
    this.stats.starts += 1;
    const child = spawn(process.execPath, [CLI, 'worker'], {
      env: this.options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const onOutput = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      this.log.push(
        ...text
          .split('\n')
          .filter(Boolean)
          .map((l) => `[${this.options.name}#${this.stats.starts}] ${l}`),
      );
      if (text.includes('polling') && this.killing) this.scheduleKill(child);
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    child.once('exit', (code, signal) => {
      if (this.killTimer) clearTimeout(this.killTimer);
      if (this.child !== child) return;
      this.child = undefined;
      if (signal !== 'SIGKILL' && !this.stopped) this.stats.selfExits += 1;
      if (this.stopped) return;
      this.log.push(`[${this.options.name}] exited (${code ?? signal}); restarting`);
      const [min, max] = this.options.restartAfterMs;
      this.restartTimer = setTimeout(() => this.start(), this.options.rng.int(min, max));
    });
  }

  private scheduleKill(child: ChildProcess): void {
    const [min, max] = this.options.killAfterMs;
    this.killTimer = setTimeout(
      () => {
        if (
          this.child !== child ||
          !this.killing ||
          child.exitCode !== null ||
          this.stats.kills >= this.options.maxKills
        )
          return;
        this.stats.kills += 1;
        child.kill('SIGKILL');
      },
      this.options.rng.int(min, max),
    );
  }

  /** Stop injecting crashes; the worker keeps running (and is restarted if it dies). */
  stopKilling(): void {
    this.killing = false;
    if (this.killTimer) clearTimeout(this.killTimer);
  }

  /** Ends the worker for good (SIGKILL: nothing is owed to a test worker). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopKilling();
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }
}
