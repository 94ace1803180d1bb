/**
 * What a retirement keeps of its dependency probes, for `status`, `start --wait --json` and the
 * Web UI's details. Pure data: safe inside workflows.
 */
import type { DependentsEvidence, DependentsMode } from './dependents';

export interface DependentsRecord {
  mode: DependentsMode;
  /** The volumes the user accepted by name (`--accept-attached-volume`). */
  acceptedVolumes: string[];
  /** What the probes found in preflight. */
  evidence: DependentsEvidence;
  /** What the re-check just before ScheduleKeyDeletion found. */
  recheck?: DependentsEvidence;
  /** What `warn` (or a volume named) let through. */
  warnings: string[];
  /** Why the dependents refused the key (HasDependents), each as type + ARN. */
  refusals: string[];
  /** DynamoDB tables that name the key: the soak is capped and each table is watched. */
  tables: string[];
  /** Each watched table's last TableStatus, by ARN. */
  tableStatus: Record<string, string>;
  /** A key behind a table is enabled again by this time at the latest (workflow time, ISO). */
  unusableUntil?: string;
}
