import os from 'node:os';

/** Who runs the CLI, for `requestedBy` and decisions: $USER, else the OS account, else "unknown". */
export function currentUser(): string {
  try {
    return process.env.USER ?? os.userInfo().username;
  } catch {
    return 'unknown';
  }
}
