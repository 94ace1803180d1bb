/**
 * A 1,000-key campaign against the same keys started with `start --from` (startMany), on the dev
 * server in real time, with stand-in retirements that decide at once (workflows/campaign-bench.ts):
 * the seconds, the CPU (this process, worker included, and the dev server) and the history events
 * the campaign adds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { createCampaignActivities } from '../activities/campaign/campaign-starts';
import { campaignWorkflowId } from '../shared/ids';
import { forEachLimited } from '../shared/limited';
import { startDevServer } from '../toolchain';
import { startCampaign } from '../workflows/campaign/client';
import { buildCampaignSettings } from '../workflows/campaign/settings';
import { startMany } from '../workflows/retirement/client';
import { quietLogger } from './harness';

export interface CampaignBenchRow {
  keys: number;
  waves: string;
  startFromSeconds: number;
  campaignSeconds: number;
  startFromCpuSeconds: number;
  campaignCpuSeconds: number;
  startFromServerCpuSeconds: number;
  campaignServerCpuSeconds: number;
  /** Events of one stand-in retirement alone, and of one started by the campaign (+ its report). */
  retirementEvents: number;
  campaignRetirementEvents: number;
  /** The campaign's own events, over all its runs, and its runs. */
  campaignEvents: number;
  campaignRuns: number;
}

function processCpuSeconds(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

const ownCpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

const arn = (batch: number, i: number): string =>
  `arn:aws:kms:us-east-1:${String(270000000000 + (i % 10))}:key/${String(batch).padStart(4, '0')}${String(i).padStart(4, '0')}-aaaa-bbbb-cccc-dddddddddddd`;

export async function benchCampaign(count: number, log: (line: string) => void): Promise<CampaignBenchRow> {
  const server = await startDevServer();
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: server.namespace });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const taskQueue = 'bench-campaign';
  const ext = path.extname(__filename);
  const bundle = await bundleWorkflowCode({
    workflowsPath: path.join(__dirname, 'workflows', `campaign-bench${ext}`),
    logger: quietLogger,
  });
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: server.namespace,
    taskQueue,
    workflowBundle: bundle,
    activities: createCampaignActivities({ client }),
  });
  const running = worker.run();
  try {
    const events = async (workflowId: string, runId?: string) =>
      (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
    // start --from: every key at once (16 requests in flight), then every result.
    const plain = Array.from({ length: count }, (_, i) => arn(1, i));
    let cpu = ownCpu();
    let serverCpu = processCpuSeconds(server.pid);
    let t = Date.now();
    const report = await startMany(client, taskQueue, plain, { options: {} });
    await forEachLimited(report.entries, 32, async (e) => {
      await client.workflow.getHandle(e.workflowId ?? '').result();
    });
    const startFromSeconds = (Date.now() - t) / 1000;
    const startFromCpuSeconds = ownCpu() - cpu;
    const startFromServerCpuSeconds = processCpuSeconds(server.pid) - serverCpu;
    log(`  start --from: ${count} keys decided in ${startFromSeconds.toFixed(1)} s`);
    const retirementEvents = (await events(report.entries[0]?.workflowId ?? '')).length;

    const waves = '10,100,rest';
    const keys = Array.from({ length: count }, (_, i) => arn(2, i));
    const settings = buildCampaignSettings({ name: 'bench', waves, retirement: { options: {} } });
    cpu = ownCpu();
    serverCpu = processCpuSeconds(server.pid);
    t = Date.now();
    await startCampaign(client, taskQueue, settings, keys);
    await client.workflow.getHandle(campaignWorkflowId('bench')).result();
    const campaignSeconds = (Date.now() - t) / 1000;
    const campaignCpuSeconds = ownCpu() - cpu;
    const campaignServerCpuSeconds = processCpuSeconds(server.pid) - serverCpu;
    log(`  campaign: ${count} keys in waves ${waves} decided in ${campaignSeconds.toFixed(1)} s`);
    // The campaign's runs, walked back from the last through "continued from".
    let campaignEvents = 0;
    let campaignRuns = 0;
    let runId: string | undefined = (await client.workflow.getHandle(campaignWorkflowId('bench')).describe()).runId;
    while (runId) {
      const history = await events(campaignWorkflowId('bench'), runId);
      campaignEvents += history.length;
      campaignRuns += 1;
      runId = history[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
    }
    const sample = `retire-key/270000000000/us-east-1/${keys[0]?.split('/')[1] ?? ''}`;
    return {
      keys: count,
      waves,
      startFromSeconds,
      campaignSeconds,
      startFromCpuSeconds,
      campaignCpuSeconds,
      startFromServerCpuSeconds,
      campaignServerCpuSeconds,
      retirementEvents,
      campaignRetirementEvents: (await events(sample)).length,
      campaignEvents,
      campaignRuns,
    };
  } finally {
    worker.shutdown();
    await running;
    await nativeConnection.close();
    await connection.close();
    await server.stop();
  }
}
