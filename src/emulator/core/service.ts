import type { CallCounter } from './calls';
import type { ServiceControls } from './controls';
import type { EmulatorClock } from './clock';
import type { Faults } from './faults';
import type { Caller } from './caller';
import type { Store } from './store';

/** What a request brings besides its body (the same shape as core.ts's RequestMeta). */
export interface RequestMeta {
  authorization?: string;
  sourceIPAddress: string;
  userAgent: string;
}

/**
 * What a service folder (sqs/, events/) needs of the emulator core, as an interface so those
 * folders never import core.ts (core.ts imports them: delivery hangs off every KMS call).
 */
export interface ServiceHost {
  readonly store: Store;
  readonly clock: EmulatorClock;
  readonly faults: Faults;
  readonly calls: CallCounter;
  /** Denials of services' actions (POST /_emulator/guardrails with "deny"). */
  readonly services: ServiceControls;
  caller(meta: RequestMeta): Promise<{ caller: Caller; now: number }>;
  changed(): void;
}

/** What every hosted call does first: who is calling and when, counted, then the fault table. */
export async function beginCall(
  host: ServiceHost,
  operation: string,
  meta: RequestMeta,
): Promise<{ caller: Caller; now: number }> {
  const who = await host.caller(meta);
  host.calls.record(operation, who.caller.account, who.caller.region);
  await host.faults.apply(operation);
  return who;
}

/** A service's answer; app.ts renders it as AWS JSON with these extra headers. */
export interface HostedAnswer {
  status: number;
  body: Record<string, unknown>;
  requestId: string;
  headers: Record<string, string>;
}
