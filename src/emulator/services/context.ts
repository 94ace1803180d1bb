import type { CallCounter } from '../core/calls';
import type { Faults } from '../core/faults';
import type { Caller } from '../core/caller';
import type { Store } from '../core/store';
import type { ServiceControls } from '../core/controls';

/** One HTTP request to an emulated service, as its protocol helper reads it. */
export interface ServiceRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  body: string;
}

/** What a service operation sees: state, time, who calls, and the gate every operation passes first. */
export interface ServiceContext {
  store: Store;
  now: number;
  caller: Caller;
  requestId: string;
  /**
   * Counts the call, applies injected faults and the IAM-like denials; throws the service's error.
   * `action` is the IAM action when it is not named after the operation (S3: ListBuckets is
   * s3:ListAllMyBuckets).
   */
  begin(operation: string, action?: string): Promise<void>;
}

/** An emulated service: the SigV4 signing name it answers to and how it serves a request. */
export interface ServiceModule {
  /** The credential scope's service name (and IAM action prefix), e.g. "dynamodb". */
  name: string;
  /** How this service words an IAM denial (its own error code and HTTP status). */
  denied: { code: string; status: number };
  serve(ctx: ServiceContext, req: ServiceRequest): Promise<Response>;
}

export type Input = Record<string, unknown>;

/** What the services need of the emulator core (kept as an interface so the core's imports stay one-way). */
export interface ServiceHost {
  store: Store;
  calls: CallCounter;
  faults: Faults;
  services: ServiceControls;
  caller(meta: { authorization?: string; sourceIPAddress: string; userAgent: string }): Promise<{
    caller: Caller;
    now: number;
  }>;
  changed(): void;
}
