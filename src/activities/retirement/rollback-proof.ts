/**
 * The rollback proof's two calls (workflows/retirement/rules/rollback.ts), each its own retryable
 * activity: throttling, 5xx and network trouble are retried as any KMS call is
 * (activities/errors.ts); a refusal of the caller is an answer, returned as `denied` for the pure
 * decision, never retried.
 */
import { CancelKeyDeletionCommand, EnableKeyCommand } from '@aws-sdk/client-kms';
import type { BuildMiddleware } from '@smithy/types';
import { parseKeyArn } from '../../shared/arn';
import { EXPLICIT_DENY } from '../../shared/error-types';
import {
  ROLLBACK_DENIED_CODES,
  ROLLBACK_PROOF_USER_AGENT,
  type RollbackCheck,
} from '../../workflows/retirement/rules/rollback';
import type { AwsClients } from '../../aws/client-factory';
import { awsErrorCode, classifyAwsError } from '../errors';
import type { KeyInput } from './kms';

export interface RollbackProofInput extends KeyInput {
  /** The key's state as preflight described it: EnableKey is asked only of an Enabled key. */
  keyState: string;
}

function deniedOrThrow(action: RollbackCheck['action'], keyArn: string, err: unknown): RollbackCheck {
  const code = awsErrorCode(err);
  const failure = classifyAwsError(err, `${action} ${keyArn}`);
  if (
    (code && ROLLBACK_DENIED_CODES.includes(code)) ||
    failure.type === EXPLICIT_DENY ||
    failure.type === 'AccessDenied'
  )
    return {
      action,
      outcome: 'denied',
      awsErrorCode: code,
      message: err instanceof Error ? err.message : String(err),
    };
  throw failure;
}

/** Appends the proof's mark to the User-Agent the SDK has just set. */
function markAsProof<I extends object, O extends object>(): BuildMiddleware<I, O> {
  return (next) => async (args) => {
    const request = args.request as { headers?: Record<string, string> };
    if (request.headers)
      request.headers['user-agent'] = `${request.headers['user-agent'] ?? ''} ${ROLLBACK_PROOF_USER_AGENT}`.trim();
    return next(args);
  };
}

/** The command, its calls marked in CloudTrail as the proof's. */
function asProof<C extends EnableKeyCommand | CancelKeyDeletionCommand>(command: C): C {
  command.middlewareStack.addRelativeTo(markAsProof(), {
    name: 'kmsRetireRollbackProofUserAgent',
    relation: 'after',
    toMiddleware: 'getUserAgentMiddleware',
  });
  return command;
}

export function createRollbackProofActivities(clients: Pick<AwsClients, 'kms'>) {
  const kms = (keyArn: string) => {
    const key = parseKeyArn(keyArn);
    return clients.kms(key.account, key.region);
  };
  return {
    /** EnableKey on an Enabled key: succeeds without effect when allowed (AWS KMS API Reference, EnableKey). */
    async proveEnableKey({ keyArn, keyState }: RollbackProofInput): Promise<RollbackCheck> {
      if (keyState !== 'Enabled')
        return {
          action: 'EnableKey',
          outcome: 'skipped',
          note: `the key is ${keyState}; EnableKey would change it, and kms-retire leaves a key that was not Enabled as it was`,
        };
      try {
        await kms(keyArn).send(asProof(new EnableKeyCommand({ KeyId: keyArn })));
        return { action: 'EnableKey', outcome: 'allowed' };
      } catch (err) {
        return deniedOrThrow('EnableKey', keyArn, err);
      }
    },

    /**
     * CancelKeyDeletion on a key not pending deletion: KMSInvalidStateException for an allowed
     * caller, AccessDeniedException for one that is not (AWS authorizes before it reads the state).
     */
    async proveCancelKeyDeletion({ keyArn }: RollbackProofInput): Promise<RollbackCheck> {
      try {
        await kms(keyArn).send(asProof(new CancelKeyDeletionCommand({ KeyId: keyArn })));
        // Only a key pending deletion accepts it; preflight refuses those before asking.
        return { action: 'CancelKeyDeletion', outcome: 'allowed', note: 'the call succeeded' };
      } catch (err) {
        if (awsErrorCode(err) === 'KMSInvalidStateException')
          return { action: 'CancelKeyDeletion', outcome: 'allowed', awsErrorCode: 'KMSInvalidStateException' };
        return deniedOrThrow('CancelKeyDeletion', keyArn, err);
      }
    },
  };
}

export type RollbackProofActivities = ReturnType<typeof createRollbackProofActivities>;

/**
 * The proof outside a workflow (`plan`, `scan`): the same two calls, one after the other, and the
 * same pure decision. Asked only of a key that preflight found eligible, as the workflow does.
 */
export async function proveRollbackNow(
  activities: RollbackProofActivities,
  input: RollbackProofInput,
): Promise<RollbackCheck[]> {
  return [await activities.proveEnableKey(input), await activities.proveCancelKeyDeletion(input)];
}
