/**
 * `npm run test:faults`: a campaign whose worker is SIGKILLed again and again mid-wave (the built
 * CLI's `kms-retire worker`, restarted as a supervisor would) loses nothing: every key is started
 * once, decides once, and the campaign ends Done with every wave in order.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { startEmulator, EmulatorAdmin } from '../../src/emulator';
import { freePort } from '../../src/toolchain/process';
import {
  campaignWorkflowId,
  disablingGateWorkflowId,
  retirementWorkflowId,
  watcherWorkflowId,
} from '../../src/shared/ids';
import { parseKeyArn } from '../../src/shared/arn';
import { RetirementPhaseAttr } from '../../src/shared/search-attributes';
import { readCampaignStatus, startCampaign } from '../../src/workflows/campaign/client';
import { buildCampaignSettings } from '../../src/workflows/campaign/settings';
import type { CampaignStatus } from '../../src/workflows/campaign/messages';
import { CrashableDevServer } from './dev-server-crash';
import { Prng } from './prng';
import { WorkerSupervisor } from './worker-supervisor';

const SEED = Number(process.env.KMS_RETIRE_FAULT_SEED ?? 2525);
const KEYS = 12;

describe('a campaign across worker SIGKILLs', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  });

  it(`${KEYS} keys in waves 3,3,rest, the worker killed mid-wave (seed ${SEED}): nothing lost, nothing twice`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-retire-campaign-kill-'));
    cleanups.push(() => fs.promises.rm(dir, { recursive: true, force: true }));
    const dev = new CrashableDevServer(await freePort(), path.join(dir, 'temporal.db'));
    await dev.start();
    cleanups.push(() => dev.stop());
    const emulator = await startEmulator({ port: 0, lookupRatePerSecond: 0 });
    cleanups.push(() => emulator.stop());
    const admin = new EmulatorAdmin(emulator.url);
    const account = '250000000025';
    const keys = [];
    for (let i = 0; i < KEYS; i++)
      keys.push(
        await admin.seedKey({ account, region: 'us-east-1', creationDate: '-400d', trackingStartDate: '-500d' }),
      );
    const taskQueue = `faults-campaign-${SEED}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TEMPORAL_ADDRESS: dev.address,
      TEMPORAL_NAMESPACE: 'default',
      KMS_RETIRE_TASK_QUEUE: taskQueue,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: account,
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL: emulator.url,
      KMS_RETIRE_WATCH_INTERVAL_MS: '1000',
      KMS_RETIRE_WATCH_MIN_LAG_MS: '0',
      KMS_RETIRE_WATCH_REPORT_MS: '1000',
      // The emulator has no quotas here: the worker need not pace KMS at a fifth of AWS's.
      KMS_RETIRE_KMS_RATE_SCALE: '1',
    };
    for (const name of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'TEMPORAL_API_KEY', 'AWS_ENDPOINT_URL_KMS'])
      delete env[name];
    const supervisor = new WorkerSupervisor({
      name: 'campaign',
      env,
      rng: new Prng(SEED),
      killAfterMs: [1500, 6000],
      restartAfterMs: [200, 1000],
      maxKills: 3,
    });
    supervisor.start();
    cleanups.push(() => supervisor.stop());

    const connection = await Connection.connect({ address: dev.address });
    cleanups.push(() => connection.close());
    const client = new Client({ connection, namespace: 'default' });
    const name = `kill-${SEED}`;
    const arns = keys.map((k) => k.Arn);
    await startCampaign(
      client,
      taskQueue,
      buildCampaignSettings({
        name,
        waves: '3,3,rest',
        retirement: { options: { soak: '3s', trailLag: '0s', pendingWindowDays: 7, minIdle: '90d' } },
      }),
      arns,
    );
    cleanups.push(() =>
      Promise.all(
        [campaignWorkflowId(name), watcherWorkflowId(account, 'us-east-1'), disablingGateWorkflowId(account)].map(
          (id) =>
            client.workflow
              .getHandle(id)
              .terminate('test over')
              .catch(() => undefined),
        ),
      ),
    );

    let status: CampaignStatus | undefined;
    for (const end = Date.now() + 540_000; Date.now() < end;) {
      status = await readCampaignStatus(client, name).catch(() => undefined);
      if (status?.state === 'Done') break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    if (status?.state !== 'Done') {
      console.log(JSON.stringify(status?.waves));
      for (const arn of arns) {
        const d = await client.workflow
          .getHandle(retirementWorkflowId(parseKeyArn(arn)))
          .describe()
          .catch(() => undefined);
        console.log(
          arn.slice(-12),
          d?.status.name,
          d?.typedSearchAttributes.get(RetirementPhaseAttr),
          JSON.stringify(
            d?.raw.pendingActivities?.map((a) => [a.activityType?.name, a.attempt, a.lastFailure?.message]),
          ),
        );
      }
      console.log(
        supervisor.log
          .filter((l) => !/modules|built|webpack|asset|sdkComponent|taskQueue|size:|^\S+ \}$/.test(l))
          .slice(-80)
          .join('\n'),
      );
    }
    expect(status?.state).toBe('Done');
    expect(supervisor.stats.kills).toBeGreaterThanOrEqual(2);
    expect(status?.waves.map((w) => [w.size, w.started, w.decided, w.skipped])).toEqual([
      [3, 3, 3, 0],
      [3, 3, 3, 0],
      [6, 6, 6, 0],
    ]);
    // Waves started in order.
    const starts = status!.waves.map((w) => Date.parse(w.startedAt ?? ''));
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    expect(status?.savings.keysPendingDeletion).toBe(KEYS);
    // One retirement per key, started once: no second run of any key's workflow id.
    for (const arn of arns) {
      const runs: string[] = [];
      for await (const w of client.workflow.list({ query: `WorkflowId = "${retirementWorkflowId(parseKeyArn(arn))}"` }))
        runs.push(w.runId);
      expect(runs, arn).toHaveLength(1);
    }
    const emulated = await admin.keys();
    for (const arn of arns) expect(emulated.find((k) => k.Arn === arn)?.KeyState).toBe('PendingDeletion');
    for (const arn of arns)
      await client.workflow
        .getHandle(retirementWorkflowId(parseKeyArn(arn)))
        .terminate('test over')
        .catch(() => undefined);
    console.log(`campaign across SIGKILLs: ${supervisor.stats.kills} kills, ${supervisor.stats.starts} worker starts`);
  });
});
