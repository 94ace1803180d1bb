/**
 * Drives the keys of a soak the way their users would: a key marked as still needed is tried as
 * soon as it is disabled (or, for the pending window, as soon as its deletion is scheduled), and
 * each retirement is watched until it has decided.
 */
import { EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { Client } from '@temporalio/client';
import type { RunningEmulator } from '../../src/emulator';
import { retirementWorkflowId } from '../../src/shared/ids';
import { parseKeyArn } from '../../src/shared/arn';
import { RetirementPhaseAttr } from '../../src/shared/search-attributes';
import { statusQuery } from '../../src/workflows/retirement/messages';
import type { RetirementResult } from '../../src/shared/types';
import type { CastKey } from './cast';

export interface Decided {
  outcome: string;
  phase?: string;
  reason?: string;
  result?: RetirementResult;
  soakEndsAt?: string;
  usageEvents?: number;
}

export function keyStateOf(emulator: RunningEmulator, arn: string): string | undefined {
  return emulator.core.store.keys.get(arn)?.keyState;
}

export function tagsOf(emulator: RunningEmulator, arn: string): Record<string, string> {
  return Object.fromEntries((emulator.core.store.keys.get(arn)?.tags ?? []).map((t) => [t.TagKey, t.TagValue]));
}

export const workflowIdOf = (key: CastKey): string => retirementWorkflowId(parseKeyArn(key.arn));

/** Tries keys that their users still need; returns the error names the uses got. */
export async function useKeysStillNeeded(
  emulator: RunningEmulator,
  keys: readonly CastKey[],
  appFor: (account: string) => KMSClient,
): Promise<string[]> {
  const answers: string[] = [];
  for (const key of keys) {
    if (key.usedAt !== undefined) continue;
    const state = keyStateOf(emulator, key.arn);
    const due =
      (key.kind === 'used-in-soak' && state === 'Disabled') ||
      (key.kind === 'used-in-window' && state === 'PendingDeletion');
    if (!due) continue;
    key.usedAt = Date.now();
    const answer = await appFor(key.account)
      .send(new EncryptCommand({ KeyId: key.arn, Plaintext: Buffer.from('is this key still needed?') }))
      .then(
        () => 'ok',
        (e: Error) => e.name,
      );
    answers.push(answer);
  }
  return answers;
}

/**
 * Whether the retirement of `key` has decided: a closed workflow with its result, or a key left
 * pending deletion by a workflow that says so (RetirementPhase = PendingDeletion).
 */
export async function decision(client: Client, emulator: RunningEmulator, key: CastKey): Promise<Decided | undefined> {
  const handle = client.workflow.getHandle<() => Promise<RetirementResult>>(workflowIdOf(key));
  const description = await handle.describe();
  if (description.status.name === 'COMPLETED') {
    const result = await handle.result();
    return { outcome: result.outcome, phase: result.phase, reason: result.reason, result };
  }
  if (description.status.name !== 'RUNNING') return { outcome: `workflow ${description.status.name}` };
  const phase = description.typedSearchAttributes.get(RetirementPhaseAttr);
  if (
    phase === 'PendingDeletion' &&
    keyStateOf(emulator, key.arn) === 'PendingDeletion' &&
    key.kind !== 'used-in-window'
  ) {
    const status = await handle.query(statusQuery).catch(() => undefined);
    return {
      outcome: 'scheduled',
      phase: 'PendingDeletion',
      soakEndsAt: status?.soakEndsAt,
      usageEvents: status?.usageEvents.length,
    };
  }
  return undefined;
}

/** Where a retirement that has not decided stands, for the report of a soak that ran out of time. */
export async function whereStuck(client: Client, key: CastKey): Promise<string> {
  const handle = client.workflow.getHandle(workflowIdOf(key));
  const d = await handle.describe().catch((e: Error) => e);
  if (d instanceof Error) return `${key.kind} ${key.arn.slice(-12)}: ${d.message}`;
  const status = await handle.query(statusQuery).catch(() => undefined);
  const pending =
    d.raw.pendingActivities?.map(
      (a) => `${a.activityType?.name ?? '?'} attempt ${a.attempt ?? 0} ${a.lastFailure?.message?.slice(0, 120) ?? ''}`,
    ) ?? [];
  return `${key.kind} ${key.arn.slice(-12)}: ${d.status.name} phase ${status?.phase ?? '?'} soakEndsAt ${status?.soakEndsAt ?? '?'} coveredUntil ${status?.coveredUntil ?? '?'} pending [${pending.join('; ')}]`;
}
