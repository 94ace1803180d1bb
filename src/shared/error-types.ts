/**
 * Stable failure type names (ApplicationFailure.type). Bundling may mangle class names, so every
 * failure a workflow or a caller handles is named here, once.
 */

/** AWS answers that retrying cannot change. */
export const NON_RETRYABLE_AWS_TYPES = [
  'NotFound',
  'InvalidArn',
  'AccessDenied',
  'Validation',
  'UnsupportedOperation',
  'InvalidState',
  'Disabled',
] as const;

/**
 * AccessDenied whose message says "with an explicit deny": a policy (an SCP, the key policy, an
 * identity policy, a permissions boundary, a session policy) forbids the call. Never retried; the
 * retirement ends as Refused (shared/explicit-deny.ts).
 */
export const EXPLICIT_DENY = 'ExplicitDeny';

/** A re-check before an irreversible step found the key changed by someone else. */
export const KEY_CHANGED = 'KeyChanged';

/** The workflow's own input was bad (any client may start it). */
export const INVALID_INPUT = 'InvalidInput';

/**
 * A dependency probe was refused (AccessDenied, UnauthorizedOperation, AuthorizationError, …): the
 * caller may not list that service's resources. The retirement records the probe as unknown.
 */
export const PROBE_DENIED = 'ProbeDenied';

/**
 * A dependency probe's service does not answer in the Region (its endpoint does not resolve, the
 * Region is not enabled, the service is not offered there). The retirement records it as unknown.
 */
export const PROBE_UNAVAILABLE = 'ProbeUnavailable';

/** Every type the activities' retry policy must not retry. */
export const NON_RETRYABLE_TYPES: string[] = [
  ...NON_RETRYABLE_AWS_TYPES,
  EXPLICIT_DENY,
  KEY_CHANGED,
  INVALID_INPUT,
  PROBE_DENIED,
  PROBE_UNAVAILABLE,
];
