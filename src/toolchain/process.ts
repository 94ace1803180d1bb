import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';

/** Asks the OS for a free TCP port on loopback. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface ServerProcess {
  child: ChildProcess;
  /** The last lines the server printed, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface ServerProcessOptions {
  env?: NodeJS.ProcessEnv;
  /** Run as this user and group (PostgreSQL refuses to run as root). */
  uid?: number;
  gid?: number;
  /** How stop() asks the server to end (default SIGTERM) ... */
  stopSignal?: NodeJS.Signals;
  /** ... and what ends it after graceMs (default SIGKILL after 5 s), and at this process's exit. */
  killSignal?: NodeJS.Signals;
  graceMs?: number;
}

/** Each live server and the signal that ends it at once. */
const live = new Map<ChildProcess, NodeJS.Signals>();
let exitHookInstalled = false;

// Servers must never outlive the process that started them, even when it exits abruptly.
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const [child, signal] of live) child.kill(signal);
  });
}

/** Starts a server process whose output is kept (bounded) for diagnostics. */
export function startServerProcess(
  command: string,
  args: readonly string[],
  options: ServerProcessOptions = {},
): ServerProcess {
  const { env, uid, gid, stopSignal = 'SIGTERM', killSignal = 'SIGKILL', graceMs = 5000 } = options;
  installExitHook();
  const child = spawn(command, args, { env: env ?? process.env, uid, gid, stdio: ['ignore', 'pipe', 'pipe'] });
  live.set(child, killSignal);
  const lines: string[] = [];
  const keep = (chunk: Buffer): void => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 60) lines.splice(0, lines.length - 60);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => live.delete(child));
  return {
    child,
    output: () => lines.join('\n'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(stopSignal);
      const timer = setTimeout(() => child.kill(killSignal), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Waits until the port accepts connections, the process dies, or the deadline passes. */
export async function waitForPort(server: ServerProcess, port: number, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      throw new Error(
        `${what} exited (${server.child.exitCode ?? server.child.signalCode}) before it listened:\n${server.output()}`,
      );
    }
    if (await portOpen(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  await server.stop();
  throw new Error(`${what} did not listen on port ${port} within ${timeoutMs / 1000}s:\n${server.output()}`);
}
