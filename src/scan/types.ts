/** What a scan returns: every customer-managed key, sorted into candidates and not, each with why. */
import type { Dependent, ProbeName } from '../shared/dependents';
import type { PreflightEvidence, Refusal } from '../workflows/retirement/rules/preflight';
import type { UnknownProbe } from './dependents-index';

export interface ScanEntry {
  keyArn: string;
  account: string;
  region: string;
  keyId: string;
  aliases: string[];
  keyState: string;
  candidate: boolean;
  /** For a candidate, the idle time proven; otherwise every refusal (or the error that stopped the scan of this key). */
  reason: string;
  refusals: Refusal[];
  /** GetKeyLastUsage read as preflight reads it. */
  lastUsage?: string;
  provenIdleDays?: number;
  evidence?: PreflightEvidence;
  /** With dependency probes: the resources and grants that name the key, from the scope's reverse index. */
  dependents?: Dependent[];
  /** With dependency probes: the probes of the key's account and Region that could not answer. */
  unknownProbes?: UnknownProbe[];
}

export interface ScopeError {
  account: string;
  region: string;
  message: string;
}

export interface ScanReport {
  scannedAt: string;
  accounts: string[];
  regions: string[];
  minIdle: string;
  kmsRatePerSecond: number;
  candidates: ScanEntry[];
  notCandidates: ScanEntry[];
  /** AWS managed keys seen and left out (customers cannot retire them). */
  awsManagedSkipped: number;
  /** Account and Region pairs that could not be listed (e.g. the role could not be assumed). */
  errors: ScopeError[];
  /** The dependency probes run (none: the scan did not look for dependents). */
  probes: ProbeName[];
  stats: { keys: number; elapsedMs: number; keysPerSecond: number };
}
