/**
 * The worker's /metrics during a real retirement on the dev server against the emulator: a key
 * disabled, used while soaking (DisabledException in CloudTrail) and enabled again. The scrape shows
 * the LookupEvents calls, the watcher's coverage lag, the refused use, the time to re-enable and the
 * outcome; visibility shows the phase while soaking. The Temporal SDK's own exporter is a stand-in
 * here (the suite's runtime is installed without one); `kms-retire worker --metrics-port` binds the
 * real one (docs/operating.md).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EncryptCommand } from '@aws-sdk/client-kms';
import { startRetirement } from '../../src/workflows/retirement/client';
import { createPrometheusMetrics, type PrometheusMetrics } from '../../src/metrics/metrics';
import { serveMetrics, type MetricsServer } from '../../src/metrics/server';
import { readVisibility } from '../../src/metrics/visibility';
import { statusQuery } from '../../src/workflows/retirement/messages';
import type { RetirementResult } from '../../src/shared/types';
import { TEST_REGION } from '../helpers/emulator';
import { eventually, freshAccount, startWorkerFixture, type WorkerFixture } from '../cli/helpers/worker';

/** The value of one sample in Prometheus text, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = new Map([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]] as const));
    if (Object.entries(labels).every(([k, v]) => got.get(k) === v)) return Number(m[3]);
  }
  return undefined;
}

describe('the worker metrics endpoint', () => {
  let f: WorkerFixture;
  let metrics: PrometheusMetrics;
  let server: MetricsServer;
  let sdk: Server;
  const account = freshAccount();

  beforeAll(async () => {
    sdk = createServer((_req, res) =>
      res.end('# TYPE temporal_worker_start_total counter\ntemporal_worker_start_total 1\n'),
    );
    await new Promise<void>((r) => sdk.listen(0, '127.0.0.1', () => r()));
    metrics = createPrometheusMetrics();
    // KMS calls paced as `kms-retire worker` paces them (at full quota, to keep the test short).
    f = await startWorkerFixture({ metrics, kmsPace: { scale: 1, rates: {} } });
    server = await serveMetrics({
      port: 0,
      registry: metrics.registry,
      sdkMetricsUrl: `http://127.0.0.1:${(sdk.address() as AddressInfo).port}/metrics`,
    });
  });
  afterAll(async () => {
    await server?.close();
    await f?.stop([account]);
    await new Promise((r) => sdk?.close(r));
  });

  const scrape = async (): Promise<string> => {
    const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    return res.text();
  };

  it('counts LookupEvents calls, coverage lag, a refused use, the time to re-enable and the outcome; phases from visibility', async () => {
    const before = await scrape();
    expect(sample(before, 'kms_retire_retirements_finished_total', { outcome: 'Reenabled' })).toBe(0);
    expect(sample(before, 'kms_retire_lookup_events_calls_total', { account })).toBeUndefined();
    expect(sample(before, 'temporal_worker_start_total')).toBe(1);

    const key = await f.emu.admin.seedKey({
      account,
      creationDate: '-400d',
      lastUsage: { operation: 'Decrypt', timestamp: '-200d' },
    });
    const { workflowId } = await startRetirement(f.client, f.taskQueue, {
      keyArn: key.Arn,
      options: { soak: '1h', trailLag: '0s', pendingWindowDays: 7 },
    });
    const handle = f.client.workflow.getHandle(workflowId);
    await eventually(async () => ((await handle.query(statusQuery)).phase === 'Soaking' ? true : undefined));

    // Visibility (the worker polls it; here once, by hand) shows the soaking key in its account.
    const soaking = await eventually(async () => {
      await readVisibility(f.client, metrics);
      const text = await scrape();
      return (sample(text, 'kms_retire_keys_soaking', { account, region: TEST_REGION }) ?? 0) >= 1 ? text : undefined;
    });
    expect(sample(soaking, 'kms_retire_retirements', { phase: 'Soaking' })).toBeGreaterThanOrEqual(1);

    // A workload still needs the key: its refused call shows in CloudTrail, and the key comes back.
    await expect(
      f.emu.kms(account).send(new EncryptCommand({ KeyId: key.Arn, Plaintext: Buffer.from('x') })),
    ).rejects.toThrow(/disabled/i);
    const result = (await handle.result()) as RetirementResult;
    expect(result.outcome).toBe('Reenabled');

    const after = await scrape();
    expect(sample(after, 'kms_retire_retirements_finished_total', { outcome: 'Reenabled', phase: 'Soaking' })).toBe(1);
    expect(sample(after, 'kms_retire_refused_uses_total', { account, region: TEST_REGION })).toBe(1);
    expect(sample(after, 'kms_retire_use_to_reenable_seconds_count')).toBe(1);
    expect(sample(after, 'kms_retire_use_to_reenable_seconds_sum')).toBeLessThan(60);
    expect(sample(after, 'kms_retire_lookup_events_calls_total', { account, region: TEST_REGION })).toBeGreaterThan(0);
    expect(sample(after, 'kms_retire_lookup_events_throttles_total', { account, region: TEST_REGION })).toBeUndefined();
    const lag = sample(after, 'kms_retire_cloudtrail_coverage_lag_seconds', { account, region: TEST_REGION });
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(60);
    expect(sample(after, 'kms_retire_ticket_posts_failed_total', { system: 'callback' })).toBe(0);
    // The pacer's view of KMS: calls by operation, no throttling, every bucket at its pace.
    expect(sample(after, 'kms_retire_kms_calls_total', { operation: 'DisableKey' })).toBe(1);
    // EnableKey twice: preflight's rollback proof, then the re-enabling.
    expect(sample(after, 'kms_retire_kms_calls_total', { operation: 'EnableKey' })).toBe(2);
    expect(sample(after, 'kms_retire_kms_throttles_total', { operation: 'DisableKey' })).toBeUndefined();
    expect(sample(after, 'kms_retire_kms_pace_scale')).toBe(1);
    // No key id appears as a label anywhere.
    expect(after).not.toContain(key.KeyId);
  });

  it('answers 404 off /metrics', async () => {
    expect((await fetch(`http://127.0.0.1:${server.port}/`)).status).toBe(404);
  });
});
