import { parseDuration } from '../../shared/duration';
import { AwsError } from './errors';

export type BaseClock = () => number | Promise<number>;

/**
 * The emulator's time: a base clock (Date.now, or a Temporal time-skipping server's time) plus an
 * offset that `POST /_emulator/clock` moves. Every time-based rule reads `now()`.
 */
export class EmulatorClock {
  constructor(
    private readonly base: BaseClock,
    public offsetMs = 0,
  ) {}

  async now(): Promise<number> {
    return (await this.base()) + this.offsetMs;
  }

  /**
   * Applies a clock request: `{"advanceMs": n}`, `{"advance": "9d"}` (moves forward only) or
   * `{"set": "2025-01-01T00:00:00Z"}` (jumps to that instant; may go back). Returns the new now.
   */
  async apply(body: Record<string, unknown>): Promise<number> {
    if (typeof body.advanceMs === 'number') {
      if (!Number.isFinite(body.advanceMs) || body.advanceMs < 0) {
        throw new AwsError(
          'ValidationException',
          `advanceMs must be a non-negative number of milliseconds, got ${body.advanceMs}.`,
        );
      }
      this.offsetMs += body.advanceMs;
    } else if (typeof body.advance === 'string') {
      try {
        this.offsetMs += parseDuration(body.advance, 'advance');
      } catch (err) {
        throw new AwsError('ValidationException', (err as Error).message);
      }
    } else if (typeof body.set === 'string' || typeof body.set === 'number') {
      const target = typeof body.set === 'number' ? body.set : Date.parse(body.set);
      if (!Number.isFinite(target)) {
        throw new AwsError(
          'ValidationException',
          `set must be an ISO-8601 time such as 2025-01-01T00:00:00Z, got ${String(body.set)}.`,
        );
      }
      this.offsetMs = target - (await this.base());
    } else {
      throw new AwsError(
        'ValidationException',
        'POST /_emulator/clock takes {"advanceMs": <ms>}, {"advance": "9d"} or {"set": "<ISO time>"}.',
      );
    }
    return this.now();
  }
}
