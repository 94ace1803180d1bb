/**
 * Rollback proven before the way in (issue 26): kms-retire undoes a retirement with EnableKey and
 * CancelKeyDeletion, so preflight shows, without changing the key, that this caller may make both
 * calls. EnableKey on an Enabled key succeeds and changes nothing; CancelKeyDeletion on a key not
 * pending deletion answers KMSInvalidStateException when the caller is allowed, and
 * AccessDeniedException when not (authorization comes before the key-state check; AWS KMS API
 * Reference, CancelKeyDeletion and EnableKey). A key that cannot be put back is refused
 * `CannotRollBack`: a refused EnableKey during the soak would leave it disabled until someone edits
 * its key policy by hand. Pure, so plan, scan and the workflow share one decision.
 */
export type RollbackAction = 'EnableKey' | 'CancelKeyDeletion';

export interface RollbackCheck {
  action: RollbackAction;
  /**
   * allowed: the call went through (or answered as an allowed caller is answered); denied: AWS
   * refused the caller; skipped: not asked, the reason in `note` (EnableKey on a Disabled key would
   * enable it).
   */
  outcome: 'allowed' | 'denied' | 'skipped';
  /** AWS's error code, when it answered with one. */
  awsErrorCode?: string;
  /** AWS's message, quoted in a refusal. */
  message?: string;
  note?: string;
}

/**
 * Appended to the User-Agent of the proof's two calls, so that CloudTrail tells them apart from a
 * retirement's own EnableKey: each record's `userAgent` ends with it (docs/reliability.md).
 */
export const ROLLBACK_PROOF_USER_AGENT = 'kms-retire/rollback-proof';

/** The AWS error codes that say the caller may not make the call (not the key's state). */
export const ROLLBACK_DENIED_CODES: readonly string[] = ['AccessDeniedException', 'AccessDenied'];

/** The refusals for checks that show the key could not be put back; none when every one passed. */
export function rollbackRefusals(checks: readonly RollbackCheck[]): { code: 'CannotRollBack'; reason: string }[] {
  return checks
    .filter((c) => c.outcome === 'denied')
    .map((c) => ({
      code: 'CannotRollBack' as const,
      reason:
        `AWS refused ${c.action} to this caller${c.message ? ` ("${c.message}")` : ''}; kms-retire undoes a retirement with ` +
        `${c.action}, so a disabled key could not be put back. Allow kms:${c.action} on the key (key policy and the caller's ` +
        'IAM policy), then try again. Nothing was tagged or disabled.',
    }));
}

/** One line per check, for the evidence and `plan`. */
export function rollbackLine(c: RollbackCheck): string {
  const how =
    c.outcome === 'allowed'
      ? `allowed${c.awsErrorCode ? ` (answered ${c.awsErrorCode}, as to an allowed caller)` : ''}`
      : c.outcome === 'denied'
        ? `DENIED (${c.awsErrorCode ?? 'refused'})`
        : `not asked: ${c.note ?? ''}`;
  return `${c.action}: ${how}`;
}
