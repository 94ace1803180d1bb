/** Raised when no route produced a server; the message lists every way to provide one. */
export class ToolchainError extends Error {
  static readonly type = 'ToolchainError';
  constructor(message: string) {
    super(message);
    this.name = ToolchainError.type;
  }
}

export function noServerMessage(what: string, attempts: readonly string[], ways: readonly string[]): string {
  return [
    `kms-retire could not get ${what}. Tried:`,
    ...attempts.map((a) => `  - ${a}`),
    'Provide one of these and run again:',
    ...ways.map((w) => `  - ${w}`),
  ].join('\n');
}
