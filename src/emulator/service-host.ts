import type { CallCounter } from './calls';
import type { EmulatorClock } from './clock';
import type { Faults } from './faults';
import type { Caller } from './request-context';
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
  caller(meta: RequestMeta): Promise<{ caller: Caller; now: number }>;
  changed(): void;
}

/** A service's answer; app.ts renders it as AWS JSON with these extra headers. */
export interface HostedAnswer {
  status: number;
  body: Record<string, unknown>;
  requestId: string;
  headers: Record<string, string>;
}
