/**
 * AWS's answer when a policy explicitly denies a call (IAM User Guide, "Troubleshoot access denied
 * error messages"): AccessDeniedException "User: <principal> is not authorized to perform:
 * <action> on resource: <ARN> with an explicit deny in a <policy type>[: <policy ARN>]". No retry
 * changes it, and an operator, not kms-retire, has to decide about it: a retirement that meets one
 * ends as Refused, quoting AWS's reason. Pure: used by the activities' error classification and by
 * the workflow's wording.
 */

const EXPLICIT_DENY = /\bwith an explicit deny\b/i;
// "... with an explicit deny in a service control policy: arn:aws:organizations::…" (the ARN is optional).
const POLICY = /\bwith an explicit deny in (?:an? )?([A-Za-z][A-Za-z -]*?)(?::\s*(arn:\S+?))?\.?\s*$/i;

export interface ExplicitDeny {
  /** "service control policy", "identity-based policy", "resource-based policy", "permissions boundary", "session policy". */
  policyType?: string;
  policyArn?: string;
  /** AWS's message, from "User: …" on. */
  message: string;
}

/** Whether an AccessDenied message is an explicit deny, and which policy said so when AWS names it. */
export function readExplicitDeny(message: string | undefined): ExplicitDeny | undefined {
  if (!message || !EXPLICIT_DENY.test(message)) return undefined;
  const start = message.indexOf('User: ');
  const aws = start >= 0 ? message.slice(start) : message;
  const m = POLICY.exec(aws);
  return { message: aws, policyType: m?.[1]?.trim().toLowerCase(), policyArn: m?.[2] };
}

/** "an explicit deny in a service control policy (arn:…)", or "an explicit deny" when AWS names no policy. */
export function explicitDenyText(deny: ExplicitDeny): string {
  if (!deny.policyType) return 'an explicit deny';
  const article = /^[aeiou]/.test(deny.policyType) ? 'an' : 'a';
  return `an explicit deny in ${article} ${deny.policyType}${deny.policyArn ? ` (${deny.policyArn})` : ''}`;
}
