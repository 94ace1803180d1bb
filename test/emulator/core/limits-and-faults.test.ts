import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateKeyCommand, DescribeKeyCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestEmulator } from '../../helpers/emulator';
import { awsError, startTestEmulator } from '../../helpers/emulator';

let emu: TestEmulator;
beforeAll(async () => {
  // A fixed base clock: the rate limiter sees time move only when a test moves it.
  const t0 = Date.parse('2025-06-01T00:00:00Z');
  emu = await startTestEmulator({ clock: () => t0, lookupRatePerSecond: 2 });
});
afterAll(async () => emu.stop());

describe('LookupEvents rate limit (2 per second per account and Region)', () => {
  it('throttles the third call within a second, per account and Region, and recovers as time passes', async () => {
    const ct = emu.cloudtrail();
    await ct.send(new LookupEventsCommand({}));
    await ct.send(new LookupEventsCommand({}));
    const err = await awsError(ct.send(new LookupEventsCommand({})));
    expect(err.name).toBe('ThrottlingException');
    expect(err.message).toBe('Rate exceeded');
    // Another Region and another account have their own budget.
    await emu.cloudtrail('111122223333', 'eu-west-1').send(new LookupEventsCommand({}));
    await emu.cloudtrail('999988887777').send(new LookupEventsCommand({}));
    await emu.admin.advanceClock(500);
    await ct.send(new LookupEventsCommand({}));
    expect((await awsError(ct.send(new LookupEventsCommand({})))).name).toBe('ThrottlingException');
  });
});

describe('faults, calls and reset', () => {
  it('injects throttling and errors per operation, a limited number of times', async () => {
    const kms = emu.kms();
    const arn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    await emu.admin.setFaults({
      DescribeKey: { throttle: true, count: 1 },
      ListKeys: { error: { code: 'KMSInternalException', message: 'boom', status: 500 } },
    });
    const throttled = await awsError(kms.send(new DescribeKeyCommand({ KeyId: arn })));
    expect(throttled.name).toBe('ThrottlingException');
    expect((await kms.send(new DescribeKeyCommand({ KeyId: arn }))).KeyMetadata?.Arn).toBe(arn);
    const internal = await awsError(kms.send(new ListKeysCommand({})));
    expect([internal.name, internal.message, internal.$metadata?.httpStatusCode]).toEqual([
      'KMSInternalException',
      'boom',
      500,
    ]);
    await emu.admin.clearFaults();
    await kms.send(new ListKeysCommand({}));
  });

  it('injects latency', async () => {
    await emu.admin.setFaults({ '*': { latencyMs: 150 } });
    const started = performance.now();
    await emu.kms().send(new ListKeysCommand({}));
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    await emu.admin.clearFaults();
  });

  it('counts calls per operation and per account/Region, and reset forgets everything', async () => {
    await emu.admin.reset();
    const kms = emu.kms();
    await kms.send(new CreateKeyCommand({}));
    await kms.send(new ListKeysCommand({}));
    await kms.send(new ListKeysCommand({}));
    await emu.kms('444455556666', 'us-west-2').send(new ListKeysCommand({}));
    const calls = await emu.admin.calls();
    expect(calls.byOperation).toEqual({ CreateKey: 1, ListKeys: 3 });
    expect(calls.total).toBe(4);
    expect(calls.byScope['111122223333/us-east-1']).toEqual({ CreateKey: 1, ListKeys: 2 });
    expect(calls.byScope['444455556666/us-west-2']).toEqual({ ListKeys: 1 });
    await emu.admin.reset();
    expect((await emu.admin.calls()).total).toBe(0);
    expect((await kms.send(new ListKeysCommand({}))).Keys).toEqual([]);
  });

  it('explains bad admin requests', async () => {
    await expect(emu.admin.advanceClock('soon')).rejects.toThrow(/not a duration/);
    const res = await fetch(`${emu.url}/_emulator/clock`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/advanceMs/);
  });
});

describe('unknown endpoints', () => {
  it('answers 404 naming the emulator endpoints for an unknown /_emulator/ path', async () => {
    const res = await fetch(`${emu.url}/_emulator/nope`, { method: 'POST' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { message: string }).message).toContain('POST reset|keys|clock|faults|principals');
  });

  it('answers UnknownOperationException for a target no service serves', async () => {
    const res = await fetch(emu.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'Nope.Op', 'content-type': 'application/x-amz-json-1.1' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { __type: string }).__type).toBe('UnknownOperationException');
  });
});
