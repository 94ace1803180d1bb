import { spawn } from 'node:child_process';
import fs from 'node:fs';
import readline from 'node:readline';

export interface RunResult {
  code: number | null;
  output: string;
}

/** Runs a build command, streaming each line to onLine and keeping the tail for error messages. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; onLine?: (line: string) => void },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const onLine = (line: string): void => {
      tail.push(line);
      if (tail.length > 40) tail.shift();
      options.onLine?.(line);
    };
    readline.createInterface({ input: child.stdout }).on('line', onLine);
    readline.createInterface({ input: child.stderr }).on('line', onLine);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output: tail.join('\n') }));
  });
}

/** Whether an executable answers on this machine (for example `go version`). */
export async function commandWorks(command: string, args: readonly string[]): Promise<boolean> {
  try {
    const result = await runCommand(command, args, {});
    return result.code === 0;
  } catch {
    return false;
  }
}

/** Whether a path is a file this process may execute (a server binary or wrapper script). */
export function executable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
