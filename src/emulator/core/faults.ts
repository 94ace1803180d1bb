import { AwsError } from './errors';

/**
 * Injected faults, per operation name (e.g. "DisableKey", "LookupEvents", "AssumeRole") or "*" for
 * every operation: `throttle` answers ThrottlingException; `error` answers the given AWS error;
 * `latencyMs` delays the answer; `count` limits the fault to the next N calls (then it is spent).
 * `probability` (0-1, default 1) makes a fault intermittent.
 */
export interface FaultSpec {
  throttle?: boolean;
  error?: { code: string; message?: string; status?: number };
  latencyMs?: number;
  count?: number;
  probability?: number;
}

export type FaultTable = Record<string, FaultSpec>;

export class Faults {
  private table: FaultTable = {};

  set(table: FaultTable): void {
    for (const [operation, spec] of Object.entries(table)) {
      if (typeof spec !== 'object' || spec === null) {
        throw new AwsError('ValidationException', `Fault for ${operation} must be an object like {"throttle": true}.`);
      }
      if (spec.error && typeof spec.error.code !== 'string') {
        throw new AwsError(
          'ValidationException',
          `Fault error for ${operation} needs a code, e.g. {"code":"KMSInternalException"}.`,
        );
      }
    }
    this.table = structuredClone(table);
  }

  get(): FaultTable {
    return structuredClone(this.table);
  }

  clear(): void {
    this.table = {};
  }

  /** Sleeps for injected latency, then throws the injected error if one applies to this call. */
  async apply(operation: string): Promise<void> {
    for (const name of [operation, '*']) {
      const spec = this.table[name];
      if (!spec) continue;
      if (spec.probability !== undefined && Math.random() >= spec.probability) continue;
      if (spec.count !== undefined) {
        if (spec.count <= 0) continue;
        spec.count -= 1;
      }
      if (spec.latencyMs) await new Promise((resolve) => setTimeout(resolve, spec.latencyMs));
      // AWS answers throttled requests with HTTP 400 ThrottlingException "Rate exceeded".
      if (spec.throttle) throw new AwsError('ThrottlingException', 'Rate exceeded');
      if (spec.error)
        throw new AwsError(
          spec.error.code,
          spec.error.message ?? `Injected ${spec.error.code}`,
          spec.error.status ?? 400,
        );
    }
  }
}
