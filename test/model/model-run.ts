/**
 * One run of the model-based safety test: a key, a retirement of it, and a random sequence of
 * what the world does meanwhile (uses, hand-made changes, decisions, faults, elapsed time),
 * against the real workflow on the time-skipping server with the emulator on the same clock.
 * Every action is recorded; the emulator's CloudTrail says what kms-retire itself did.
 */
import { EnableKeyCommand, EncryptCommand, ScheduleKeyDeletionCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { WorkflowHandle } from '@temporalio/client';
import fc from 'fast-check';
import { decide } from '../../src/workflows/retirement/client';
import type { RetirementResult } from '../../src/shared/types';
import type { RetirementOptionsInput } from '../../src/shared/options';
import type { retireKey } from '../../src/workflows';
import { DAY, HOUR, freshAccount, withWorker, type Fixture } from '../workflows/fixture';
import { TEST_REGION } from '../helpers/emulator';

export type Act = 'use' | 'enable-by-hand' | 'schedule-by-hand' | 'approve' | 'reject' | 'cancel' | 'fault' | 'wait';
export interface Step {
  waitMs: number;
  act: Act;
  faultOp: string;
}
export interface Scenario {
  key: 'eligible' | 'aws-managed' | 'protected';
  approval: 'none' | 'required';
  steps: Step[];
}

const FAULT_OPS = [
  'DescribeKey',
  'DisableKey',
  'EnableKey',
  'ScheduleKeyDeletion',
  'CancelKeyDeletion',
  'ListResourceTags',
  'TagResource',
  'UntagResource',
  'LookupEvents',
];

export const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  key: fc.constantFrom<Scenario['key']>('eligible', 'eligible', 'eligible', 'eligible', 'aws-managed', 'protected'),
  approval: fc.constantFrom<Scenario['approval']>('none', 'required'),
  steps: fc.array(
    fc.record({
      waitMs: fc.constantFrom(HOUR, 6 * HOUR, 2 * DAY, 4 * DAY, 9 * DAY),
      act: fc.constantFrom<Act>(
        'use',
        'use',
        'enable-by-hand',
        'schedule-by-hand',
        'approve',
        'reject',
        'cancel',
        'fault',
        'wait',
        'wait',
      ),
      faultOp: fc.constantFrom(...FAULT_OPS),
    }),
    { minLength: 1, maxLength: 6 },
  ),
});

export const SOAK_MS = 10 * DAY;
export const OPTIONS: RetirementOptionsInput = { soak: '10d', trailLag: '1h', pendingWindowDays: 7 };

export interface KeyEvent {
  seq: number;
  time: number;
  name: string;
  by: 'kms-retire' | 'hand' | 'app' | 'other';
  errorCode?: string;
}

export interface RunRecord {
  scenario: Scenario;
  keyArn: string;
  result: RetirementResult;
  /** What the world did, and when (workflow time). */
  done: { act: Act; at: number; answer: string }[];
  events: KeyEvent[];
  finalState?: string;
  finalTags: Record<string, string>;
}

export async function runScenario(f: Fixture, scenario: Scenario): Promise<RunRecord> {
  const account = freshAccount();
  await f.emu.admin.registerPrincipal({ accessKeyId: `AKIA${account}`, account, userName: 'operator' });
  await f.emu.admin.registerPrincipal({ accessKeyId: `ASIA${account}`, account, roleName: 'app', sessionName: 'job' });
  const seed = {
    creationDate: '-400d',
    trackingStartDate: '-500d',
    lastUsage: { operation: 'Decrypt', timestamp: '-200d' },
    ...(scenario.key === 'aws-managed' ? { keyManager: 'AWS' as const } : {}),
    ...(scenario.key === 'protected' ? { tags: { 'kms-retire:protect': 'yes' } } : {}),
  };
  const key = await f.emu.admin.seedKey({ account, ...seed });
  const hand = f.emu.kms(account, TEST_REGION, { accessKeyId: `AKIA${account}` });
  const app = f.emu.kms(account, TEST_REGION, { accessKeyId: `ASIA${account}` });
  const done: RunRecord['done'] = [];
  const result = await withWorker(f, account, async ({ start }) => {
    const handle = await start(key.Arn, { ...OPTIONS, approval: scenario.approval });
    for (const step of scenario.steps) {
      await f.ts.env.sleep(step.waitMs);
      if ((await handle.describe()).status.name !== 'RUNNING') break;
      const answer = await act(f, handle, step, key.Arn, hand, app);
      done.push({ act: step.act, at: await f.ts.env.currentTimeMs(), answer });
    }
    await f.emu.admin.clearFaults();
    // Let the retirement run its course; one still waiting for approval is cancelled.
    await f.ts.env.sleep(40 * DAY);
    if ((await handle.describe()).status.name === 'RUNNING') {
      await decide(f.ts.env.client, handle.workflowId, 'cancel', { by: 'model', reason: 'model run over' }).catch(
        () => undefined,
      );
    }
    return handle.result();
  });
  const stored = f.emu.emulator.core.store;
  const record = stored.keys.get(key.Arn);
  const events = stored
    .toState()
    .events.filter((e) => e.resources.some((r) => r.ResourceName === key.Arn))
    .sort((a, b) => a.seq - b.seq)
    .map((e) => ({
      seq: e.seq,
      time: e.eventTime,
      name: e.eventName,
      by:
        e.accessKeyId === account
          ? ('kms-retire' as const)
          : e.accessKeyId === `AKIA${account}`
            ? ('hand' as const)
            : e.accessKeyId === `ASIA${account}`
              ? ('app' as const)
              : ('other' as const),
      errorCode: e.record.errorCode as string | undefined,
    }));
  return {
    scenario,
    keyArn: key.Arn,
    result,
    done,
    events,
    finalState: record?.keyState,
    finalTags: Object.fromEntries((record?.tags ?? []).map((t) => [t.TagKey, t.TagValue])),
  };
}

async function act(
  f: Fixture,
  handle: WorkflowHandle<typeof retireKey>,
  step: Step,
  keyArn: string,
  hand: KMSClient,
  app: KMSClient,
): Promise<string> {
  const answer = (p: Promise<unknown>): Promise<string> =>
    p.then(
      () => 'ok',
      (e: Error) => e.name,
    );
  const client = f.ts.env.client;
  switch (step.act) {
    case 'use':
      return answer(app.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('x') })));
    case 'enable-by-hand':
      return answer(hand.send(new EnableKeyCommand({ KeyId: keyArn })));
    case 'schedule-by-hand':
      return answer(hand.send(new ScheduleKeyDeletionCommand({ KeyId: keyArn, PendingWindowInDays: 7 })));
    case 'approve':
    case 'reject':
    case 'cancel':
      return answer(decide(client, handle.workflowId, step.act, { by: 'model', reason: `model ${step.act}` }));
    case 'fault':
      await f.emu.admin.setFaults({ [step.faultOp]: { throttle: true, count: 3 } });
      return 'fault set';
    case 'wait':
      return 'waited';
  }
}
