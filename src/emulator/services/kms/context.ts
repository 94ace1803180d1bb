import type { Caller } from '../../core/caller';
import type { Store } from '../../core/store';

export type Input = Record<string, unknown>;
export type Output = Record<string, unknown>;

/** What one KMS call sees, and what it leaves behind for its CloudTrail record. */
export interface KmsContext {
  readonly store: Store;
  readonly now: number;
  readonly caller: Caller;
  readonly requestId: string;
  readonly eventId: string;
  /** The CloudTrail event id of this call in a given account's trail (the key owner's, for cross-account use). */
  readonly eventIdFor: (account: string) => string;
  /** Key ARNs the call named or used: CloudTrail's `resources`. */
  readonly resources: string[];
  /** Set by handlers whose CloudTrail record carries more than the request's own fields. */
  requestParameters?: Record<string, unknown>;
  responseElements?: Record<string, unknown> | null;
}

export type KmsHandler = (ctx: KmsContext, input: Input) => Output | Promise<Output>;

export const seconds = (ms: number): number => ms / 1000;

export function optionalString(input: Input, field: string): string | undefined {
  const value = input[field];
  return typeof value === 'string' ? value : undefined;
}
