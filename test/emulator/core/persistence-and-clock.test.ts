import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EncryptCommand,
  GetKeyLastUsageCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../../src/emulator';
import { awsError, startTestEmulator } from '../../helpers/emulator';

const DAY = 86_400_000;

describe('--state FILE persistence', () => {
  it('keeps keys, aliases, last usage, events, principals and the clock offset across a restart', async () => {
    const stateFile = path.join(mkdtempSync(path.join(tmpdir(), 'kms-emu-')), 'state.json');
    const first = await startTestEmulator({ stateFile, lookupRatePerSecond: 0 });
    const kms = first.kms();
    const arn = (await kms.send(new CreateKeyCommand({ Description: 'kept' }))).KeyMetadata!.Arn!;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/kept', TargetKeyId: arn }));
    await kms.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') }));
    await kms.send(new DisableKeyCommand({ KeyId: arn }));
    await first.admin.registerPrincipal({ accessKeyId: 'AKIAKEPT', account: '111122223333', userName: 'kept-user' });
    await awsError(
      first
        .kms(undefined, undefined, { accessKeyId: 'AKIAKEPT' })
        .send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') })),
    );
    const clock = await first.admin.advanceClock('3d');
    await first.stop();

    const second = await startTestEmulator({ stateFile, lookupRatePerSecond: 0 });
    try {
      const described = await second.kms().send(new DescribeKeyCommand({ KeyId: 'alias/kept' }));
      expect(described.KeyMetadata).toMatchObject({ Arn: arn, KeyState: 'Disabled', Description: 'kept' });
      expect((await second.kms().send(new GetKeyLastUsageCommand({ KeyId: arn }))).KeyLastUsage?.Operation).toBe(
        'Encrypt',
      );
      const events = await second
        .cloudtrail()
        .send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: arn }] }));
      // The restarted emulator's own DescribeKey and GetKeyLastUsage come first, then the kept ones.
      expect(events.Events!.map((e) => e.EventName)).toEqual([
        'GetKeyLastUsage',
        'DescribeKey',
        'Encrypt',
        'DisableKey',
        'Encrypt',
        'CreateAlias',
        'CreateKey',
      ]);
      expect(events.Events![2]).toMatchObject({ Username: 'kept-user' });
      expect((await second.admin.clock()).offsetMs).toBe(clock.offsetMs);
      // New events keep ordering after restored ones.
      await second.kms().send(new DescribeKeyCommand({ KeyId: arn }));
      const newest = await second.cloudtrail().send(new LookupEventsCommand({ MaxResults: 1 }));
      expect(newest.Events![0]!.EventName).toBe('DescribeKey');
    } finally {
      await second.stop();
    }
  });

  it('refuses a state file that is not one, naming it', async () => {
    const stateFile = path.join(mkdtempSync(path.join(tmpdir(), 'kms-emu-')), 'bad.json');
    writeFileSync(stateFile, '{"hello":');
    await expect(startEmulator({ stateFile })).rejects.toThrow(`State file ${stateFile} is not valid JSON`);
  });
});

describe('the clock option', () => {
  it('uses an injected (async) base clock for creation dates, last usage, events and deletion', async () => {
    let base = Date.parse('2030-01-01T00:00:00Z');
    const emu = await startTestEmulator({ clock: () => Promise.resolve(base), lookupRatePerSecond: 0 });
    try {
      const kms = emu.kms();
      const meta = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
      expect(meta.CreationDate!.getTime()).toBe(base);
      base += 10 * DAY;
      await kms.send(new EncryptCommand({ KeyId: meta.Arn, Plaintext: Buffer.from('x') }));
      expect((await kms.send(new GetKeyLastUsageCommand({ KeyId: meta.Arn }))).KeyLastUsage?.Timestamp?.getTime()).toBe(
        base,
      );
      const events = await emu
        .cloudtrail()
        .send(
          new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'Encrypt' }] }),
        );
      expect(events.Events![0]!.EventTime!.getTime()).toBe(base);
      await kms.send(new ScheduleKeyDeletionCommand({ KeyId: meta.Arn, PendingWindowInDays: 7 }));
      base += 7 * DAY;
      expect((await awsError(kms.send(new DescribeKeyCommand({ KeyId: meta.Arn })))).name).toBe('NotFoundException');
      // The admin offset adds to the injected clock; "set" jumps to an instant.
      const moved = await emu.admin.advanceClock(60_000);
      expect(moved.nowMs).toBe(base + 60_000);
      const set = await emu.admin.setClock('2031-01-01T00:00:00Z');
      expect(set.now).toBe('2031-01-01T00:00:00.000Z');
    } finally {
      await emu.stop();
    }
  });
});
