import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { createRollbackProofActivities, proveRollbackNow } from '../../../src/activities/retirement/rollback-proof';
import { ROLLBACK_PROOF_USER_AGENT } from '../../../src/workflows/retirement/rules/rollback';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';
import type { ClientFactory } from '../../../src/aws/client-factory';

describe('the rollback proof against the emulator', () => {
  let emu: TestEmulator;
  let clients: ClientFactory;
  beforeAll(async () => {
    emu = await startTestEmulator();
    clients = emu.factory();
  });
  afterAll(async () => {
    await emu?.stop();
  });
  beforeEach(async () => {
    await emu.admin.reset();
  });

  it('leaves the key as it was, and marks both calls in CloudTrail so they are told apart from a retirement', async () => {
    const key = await emu.admin.seedKey({ creationDate: '-400d' });
    const checks = await proveRollbackNow(createRollbackProofActivities(clients), {
      keyArn: key.Arn,
      keyState: 'Enabled',
    });
    expect(checks.map((c) => [c.action, c.outcome])).toEqual([
      ['EnableKey', 'allowed'],
      ['CancelKeyDeletion', 'allowed'],
    ]);
    const after = await emu.kms().send(new DescribeKeyCommand({ KeyId: key.Arn }));
    expect(after.KeyMetadata?.KeyState).toBe('Enabled');

    const trail = emu.cloudtrail();
    const agents: Record<string, string[]> = {};
    for (const name of ['EnableKey', 'CancelKeyDeletion']) {
      const page = await trail.send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: name }] }),
      );
      agents[name] = (page.Events ?? []).map(
        (e) => (JSON.parse(e.CloudTrailEvent ?? '{}') as { userAgent?: string }).userAgent ?? '',
      );
    }
    expect(agents.EnableKey).toHaveLength(1);
    expect(agents.CancelKeyDeletion).toHaveLength(1);
    for (const agent of [...agents.EnableKey!, ...agents.CancelKeyDeletion!]) {
      // The SDK's own User-Agent stays first; the mark is appended to it.
      expect(agent).toMatch(/^aws-sdk-js\//);
      expect(agent.endsWith(` ${ROLLBACK_PROOF_USER_AGENT}`)).toBe(true);
    }
  });

  it('does not mark other calls of the same client', async () => {
    const key = await emu.admin.seedKey({ creationDate: '-400d' });
    const activities = createRollbackProofActivities(clients);
    await activities.proveEnableKey({ keyArn: key.Arn, keyState: 'Enabled' });
    await clients.kms(key.Arn.split(':')[4]!, 'us-east-1').send(new DescribeKeyCommand({ KeyId: key.Arn }));
    const page = await emu
      .cloudtrail()
      .send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'DescribeKey' }] }),
      );
    const agents = (page.Events ?? []).map(
      (e) => (JSON.parse(e.CloudTrailEvent ?? '{}') as { userAgent?: string }).userAgent ?? '',
    );
    expect(agents.length).toBeGreaterThan(0);
    expect(agents.some((a) => a.includes(ROLLBACK_PROOF_USER_AGENT))).toBe(false);
  });
});
