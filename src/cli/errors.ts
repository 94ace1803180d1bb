export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** An error the CLI reports as one line, with its exit code and a stable code for scripts. */
export class CliError extends Error {
  static readonly type = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILURE,
    readonly code: string = 'operational-failure',
  ) {
    super(message);
    this.name = CliError.type;
  }
}

export function usageError(message: string, code = 'bad-usage'): CliError {
  return new CliError(message, EXIT_USAGE, code);
}
