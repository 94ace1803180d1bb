/**
 * The Temporal dev server with a SQLite file, crashed (SIGKILL) and started again on the same port
 * with the same file: workflows, timers and pending activities must all survive it.
 */
import { startDevServer, type DevServer } from '../../src/toolchain';
import { portOpen } from '../../src/toolchain/process';

export class CrashableDevServer {
  server?: DevServer;
  restarts = 0;

  constructor(
    readonly port: number,
    readonly dbFile: string,
  ) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = await startDevServer({ port: this.port, dbFile: this.dbFile });
  }

  /** Kills the server outright and starts it again; returns how long Temporal was away (ms). */
  async crashAndRestart(): Promise<number> {
    const began = Date.now();
    const pid = this.server?.pid;
    if (pid && pid > 0) process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 100 && (await portOpen(this.port)); i++) await new Promise((r) => setTimeout(r, 100));
    await this.start();
    this.restarts += 1;
    return Date.now() - began;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }
}
