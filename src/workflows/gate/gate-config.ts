/**
 * The per-account disabling gate's settings and carried state, and the checks of both. No I/O:
 * safe inside workflows.
 */

export interface DisablingGateConfig {
  /** Retirements of the account that may be tagging / disabling their key at once. */
  limit: number;
  /**
   * A permit not released within this long is taken back. A retirement terminated while it held
   * one (the Web UI's Terminate runs no cleanup) would otherwise block its account for good.
   */
  leaseMs: number;
  /** With no holder and no queue for this long the gate finishes; the next request starts one. */
  idleMs: number;
  /** Requests, releases and grants handled before continue-as-new (keeps each run's history small). */
  messagesPerRun: number;
}

/** The one place for the defaults; `kms-retire worker` overrides `limit` and `leaseMs` (see its --help). */
export const DEFAULT_DISABLING_GATE_CONFIG: DisablingGateConfig = {
  limit: 10,
  leaseMs: 15 * 60_000,
  idleMs: 10 * 60_000,
  // A retirement costs the gate a request, a grant and a release: at most about 13 history
  // events with one workflow task each, so 400 messages stay under about 2,000 events a run.
  messagesPerRun: 400,
};

export interface GateHolder {
  workflowId: string;
  /** When the permit was granted (epoch ms, workflow time). */
  grantedAt: number;
}

export interface DisablingGateCarry {
  holders: GateHolder[];
  queue: string[];
}

export interface DisablingGateInput {
  account: string;
  config?: Partial<DisablingGateConfig>;
  /** Set by continue-as-new. */
  carry?: DisablingGateCarry;
}

export class DisablingGateConfigError extends Error {
  static readonly type = 'InvalidDisablingGateConfig';
  constructor(message: string) {
    super(message);
    this.name = DisablingGateConfigError.type;
  }
}

export function resolveDisablingGateConfig(config: Partial<DisablingGateConfig> = {}): DisablingGateConfig {
  const merged = { ...DEFAULT_DISABLING_GATE_CONFIG, ...config };
  for (const [name, value] of Object.entries(merged)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 1) {
      throw new DisablingGateConfigError(
        `disabling gate setting ${name} must be a number of at least 1, got ${String(value)}.`,
      );
    }
  }
  if (!Number.isInteger(merged.limit))
    throw new DisablingGateConfigError(`disabling gate limit must be a whole number, got ${merged.limit}.`);
  return merged;
}
