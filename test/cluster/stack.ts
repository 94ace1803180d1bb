/**
 * The processes of the cluster test, each run through the public CLI as an operator would:
 * `kms-retire emulator`, `kms-retire worker` (several, killed and restarted, rolled onto another
 * build) and `kms-retire start|list|status`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const BIN = path.resolve(__dirname, '../../bin/kms-retire.js');

/** Children still running when the test process exits are killed, whatever happened. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

export interface Emulator {
  url: string;
  stop(): Promise<void>;
}

/** `kms-retire emulator --port 0 --json` as a child process. */
export async function startEmulatorProcess(args: string[] = []): Promise<Emulator> {
  const child = track(
    spawn(process.execPath, [BIN, 'emulator', '--port', '0', '--json', ...args], { stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  let errors = '';
  child.stderr?.on('data', (c: Buffer) => (errors += c.toString('utf8')));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`kms-retire emulator exited (${code}): ${errors}`)));
  });
  return {
    url,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The emulator's admin endpoints (`/_emulator/…`, documented in src/emulator/README.md). */
export class Admin {
  constructor(readonly url: string) {}

  async call<T>(method: 'GET' | 'POST', route: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}/_emulator/${route}`, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const parsed = (await res.json()) as T;
    if (!res.ok) throw new Error(`${method} /_emulator/${route}: ${res.status} ${JSON.stringify(parsed)}`);
    return parsed;
  }

  async seedKey(spec: Record<string, unknown>): Promise<{ Arn: string; KeyId: string }> {
    return (await this.call<{ KeyMetadata: { Arn: string; KeyId: string } }>('POST', 'keys', spec)).KeyMetadata;
  }

  async keys(account: string): Promise<{ Arn: string; KeyState: string }[]> {
    return (await this.call<{ Keys: { Arn: string; KeyState: string }[] }>('GET', `keys?account=${account}`)).Keys;
  }
}

export interface WorkerProcess {
  name: string;
  bin: string;
  child: ChildProcess;
  /** Resolves once the worker says it polls. */
  ready: Promise<void>;
  pid: number;
}

/**
 * A pool of `kms-retire worker` processes, as a process supervisor runs them: a worker that exits
 * by itself (say, Temporal was away too long) is started again; one the test ends is not.
 */
export class WorkerPool {
  readonly log: string[] = [];
  readonly workers = new Map<string, WorkerProcess>();
  readonly stats = { starts: 0, kills: 0, selfExits: 0, rolled: 0 };
  /** Every pid that ran a given build, for reading the histories' worker identities. */
  readonly pidsByBin = new Map<string, Set<number>>();
  private stopping = false;

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  start(name: string, bin = BIN): WorkerProcess {
    this.stats.starts += 1;
    const child = track(spawn(process.execPath, [bin, 'worker'], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] }));
    let resolveReady: () => void = () => undefined;
    const ready = new Promise<void>((resolve, reject) => {
      resolveReady = resolve;
      child.once('exit', (code, signal) =>
        reject(new Error(`worker ${name} exited (${code ?? signal}) before polling`)),
      );
    });
    ready.catch(() => undefined);
    const onOutput = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      for (const line of text.split('\n').filter(Boolean)) this.log.push(`[${name} ${child.pid}] ${line}`);
      if (this.log.length > 400) this.log.splice(0, this.log.length - 400);
      if (text.includes('polling')) resolveReady();
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    const worker: WorkerProcess = { name, bin, child, ready, pid: child.pid ?? -1 };
    this.workers.set(name, worker);
    const pids = this.pidsByBin.get(bin) ?? new Set<number>();
    pids.add(worker.pid);
    this.pidsByBin.set(bin, pids);
    child.once('exit', (code, signal) => {
      if (this.workers.get(name) !== worker || this.stopping) return;
      if (signal === 'SIGKILL' || signal === 'SIGTERM') return;
      this.stats.selfExits += 1;
      this.log.push(`[${name}] exited by itself (${code ?? signal}); starting it again`);
      setTimeout(() => {
        if (!this.stopping && this.workers.get(name) === worker) this.start(name, bin);
      }, 1000);
    });
    return worker;
  }

  /** SIGKILL (a crash); the caller decides when the supervisor starts it again. */
  async kill(name: string): Promise<void> {
    const worker = this.workers.get(name);
    if (!worker) return;
    this.stats.kills += 1;
    await this.signal(worker, 'SIGKILL');
  }

  /** SIGTERM (a graceful stop: running tasks finish) and start the same worker on `bin`. */
  async roll(name: string, bin: string): Promise<WorkerProcess> {
    const worker = this.workers.get(name);
    if (worker) await this.signal(worker, 'SIGTERM');
    this.stats.rolled += 1;
    const next = this.start(name, bin);
    await next.ready;
    return next;
  }

  private async signal(worker: WorkerProcess, signal: NodeJS.Signals): Promise<void> {
    const { child } = worker;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }

  async stopAll(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.workers.values()].map((w) => this.signal(w, 'SIGKILL')));
    this.workers.clear();
  }
}

/** `kms-retire <args>` with the given environment; stdout, stderr and the exit code. */
export function cli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = track(spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] }));
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

export async function cliJson<T>(args: string[], env: NodeJS.ProcessEnv): Promise<T> {
  const result = await cli([...args, '--json'], env);
  if (result.code !== 0)
    throw new Error(`kms-retire ${args.join(' ')} exited ${result.code}: ${result.stderr}\n${result.stdout}`);
  return JSON.parse(result.stdout) as T;
}
