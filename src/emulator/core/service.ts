import type { Caller, RequestMeta } from './caller';
import type { EmulatorCore } from './emulator-core';
import type { AwsError } from './errors';
import type { Store } from './store';

/** One HTTP request to an emulated service, as its protocol codec reads it. */
export interface ServiceRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  body: string;
  meta: RequestMeta;
}

export type Input = Record<string, unknown>;

/** The wire protocols of the emulated services (each has its codec under core/protocol/). */
export type WireProtocol = 'json-1.0' | 'json-1.1' | 'query' | 'ec2' | 'rest-json' | 'rest-xml';

/** Optional steps of the prologue that a service adds (KMS: its quotas and guardrails). */
export interface BeginOptions {
  /** The IAM action when it is not named after the operation (S3: ListBuckets is s3:ListAllMyBuckets). */
  action?: string;
  /** The service's own admission checks, after the fault table and before the IAM-like denials. */
  admit?: () => void;
}

/** What a service operation sees: the core, state, time, who calls, and the prologue every operation passes first. */
export interface ServiceContext {
  /** The clock, faults, call counts, controls and the services' shared plumbing (CloudTrail, EventBridge delivery). */
  core: EmulatorCore;
  store: Store;
  now: number;
  caller: Caller;
  requestId: string;
  /** Counts the call, applies injected faults, the service's admission checks and the denials; throws the service's error. */
  begin(operation: string, options?: BeginOptions): Promise<void>;
}

/**
 * An emulated service, in the one shape the router reads (services/registry.ts lists them): the
 * SigV4 signing name it answers to, its wire protocol and X-Amz-Target prefixes, how it words a
 * denial, and how it serves a request (its handlers behind its protocol's codec).
 */
export interface ServiceModule {
  /** The credential scope's service name (and IAM action prefix), e.g. "dynamodb". */
  name: string;
  protocol: WireProtocol;
  /** X-Amz-Target prefixes (JSON protocols): how an unsigned request finds its service. */
  targets?: readonly (string | RegExp)[];
  /** Claims an unsigned request that has no X-Amz-Target (STS: a form-encoded POST). */
  claimsUnsigned?(req: ServiceRequest): boolean;
  /** How this service words an IAM denial (its own error code and HTTP status). */
  denied(message: string): AwsError;
  /** Its calls count towards the per-second peaks on the emulator's clock (KMS pacing, scan's rate). */
  countsPeaks?: boolean;
  /** Operations that change nothing worth saving; by default those named Describe…, List…, Get…, Head…. */
  readOnly?(operation: string): boolean;
  serve(ctx: ServiceContext, req: ServiceRequest): Promise<Response>;
}

const READS = /^(Describe|List|Get|Head)/;

/**
 * The call prologue, written once for every service: who is calling and when (the router has asked
 * the core), then each operation counted, the fault table, the service's own checks, the denials.
 * `began` says which operation was begun, so the router knows whether state may have changed.
 */
export function serviceContext(
  core: EmulatorCore,
  service: ServiceModule,
  who: { caller: Caller; now: number },
  requestId: string,
): ServiceContext & { changesState(): boolean } {
  let began: string | undefined;
  const { caller, now } = who;
  return {
    core,
    store: core.store,
    now,
    caller,
    requestId,
    async begin(operation, options = {}) {
      began = operation;
      core.calls.record(operation, caller.account, caller.region, service.countsPeaks ? now : undefined);
      await core.faults.apply(operation);
      options.admit?.();
      const denied = core.services.denial(caller, service.name, options.action ?? operation);
      if (denied) throw service.denied(denied);
    },
    changesState() {
      if (began === undefined) return false;
      return !(service.readOnly ? service.readOnly(began) : READS.test(began));
    },
  };
}
