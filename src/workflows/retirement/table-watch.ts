/**
 * The watch over the DynamoDB tables behind a disabled key. DynamoDB "will initiate the table
 * archival process when table's KMS key remains inaccessible for more than seven days"
 * (API_SSEDescription), and a table makes no KMS call a soak could see while it waits. So during
 * the soak and the approval wait each table is described hourly and at the soak's end: one that
 * reports INACCESSIBLE_ENCRYPTION_CREDENTIALS (or worse) needs the key, which is enabled again at
 * once; and whatever happens, the key is enabled again by the cap (6 days after DisableKey).
 */
import { ActivityFailure } from '@temporalio/workflow';
import { TABLE_INACCESSIBLE, TABLE_WATCH_MS } from './rules/dependents-rules';
import type { RetirementResult } from '../../shared/types';
import { call } from '../activity-calls';
import { enableAgain, failureType } from './key-ops';
import { probeActs } from './proxies';
import type { RetirementState } from './retirement-state';

/** Table states in which the table lacks its key: the key is needed. */
const WITHOUT_KEY = new Set([TABLE_INACCESSIBLE, 'ARCHIVING', 'ARCHIVED']);

function unusableUntil(s: RetirementState): number | undefined {
  const until = s.dependents?.unusableUntil;
  return until === undefined || !s.dependents?.tables.length ? undefined : Date.parse(until);
}

/** When the tables need looking at next (workflow time); Infinity when no table is watched. */
export function nextTableCheck(s: RetirementState): number {
  const cap = unusableUntil(s);
  return cap === undefined ? Infinity : Math.min(Date.now() + TABLE_WATCH_MS, cap);
}

/** Describes each watched table; ends the retirement when one needs the key or the cap is reached. */
export async function checkTables(s: RetirementState, when: string): Promise<RetirementResult | undefined> {
  const record = s.dependents;
  if (!record || unusableUntil(s) === undefined) return undefined;
  const seen = await Promise.all(
    record.tables.map(async (tableArn) => {
      try {
        const t = await call(probeActs.describeTableEncryption, `DescribeTable ${tableArn} (${when})`, {
          tableArn,
        });
        return { tableArn, status: t.tableStatus };
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        if (failureType(err) === 'NotFound') return { tableArn, status: 'DELETED' };
        return { tableArn, status: `UNKNOWN (${err.cause instanceof Error ? err.cause.message : err.message})` };
      }
    }),
  );
  for (const t of seen) record.tableStatus[t.tableArn] = t.status;
  const gone = seen.filter((t) => t.status === 'DELETED').map((t) => t.tableArn);
  if (gone.length) {
    record.tables = record.tables.filter((arn) => !gone.includes(arn));
    s.note(`DynamoDB table(s) deleted, no longer watched: ${gone.join(', ')}`);
  }
  const needing = seen.filter((t) => WITHOUT_KEY.has(t.status));
  if (needing.length) {
    s.note(`DynamoDB reports ${needing.map((t) => `${t.tableArn} ${t.status}`).join('; ')}; enabling the key again`);
    await enableAgain(s);
    return s.finish(
      'Reenabled',
      `the key is still needed: DynamoDB table ${needing.map((t) => `${t.tableArn} is ${t.status}`).join(', ')} (it lost its key when the key was disabled; DynamoDB archives it after 7 days); the key is enabled again.`,
    );
  }
  const cap = unusableUntil(s);
  if (cap !== undefined && Date.now() >= cap) {
    const reason = `DynamoDB table(s) ${record.tables.join(', ')} still name the key, which was disabled at ${new Date(s.disableRequestedAt ?? 0).toISOString()}: kms-retire does not leave it unusable longer (DynamoDB archives a table whose key stays unusable 7 days)`;
    record.refusals = [reason];
    s.refusals = [{ code: 'HasDependents', reason }];
    s.note(`${reason}; enabling the key again`);
    await enableAgain(s);
    return s.finish('Refused', `HasDependents: ${reason}. The key is enabled again.`);
  }
  return undefined;
}
