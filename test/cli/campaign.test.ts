/**
 * `kms-retire campaign …` on the suite's dev server with a real worker and the emulator: start
 * from a file, status --json in its contract's shape, list, pause and resume, the report's HTML and
 * CSV; bad input exits 2 naming the flag before anything is contacted.
 */
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/run-cli';
import { cliEnv } from './helpers/env';
import { freshAccount, startWorkerFixture, type WorkerFixture } from './helpers/worker';
import type { CampaignStatus } from '../../src/workflows/campaign/messages';
import { campaignWorkflowId } from '../../src/shared/ids';
import { createPrometheusMetrics } from '../../src/metrics/metrics';
import { readVisibility } from '../../src/metrics/visibility';

const IDLE = {
  creationDate: '-400d',
  trackingStartDate: '-500d',
  lastUsage: { operation: 'Decrypt', timestamp: '-200d' },
};

describe('kms-retire campaign', () => {
  const account = freshAccount();
  const name = `cli-${account}`;
  let f: WorkerFixture;
  let dir: string;
  let receiver: Server;
  /** Every ticket update posted (signatures are checked by the ticket-updates tests). */
  const posts: { milestone: string; campaign?: string; ticket: { id: string } }[] = [];
  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        posts.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as (typeof posts)[number]);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    f = await startWorkerFixture({
      ticketCallback: {
        url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/t`,
        secret: Buffer.from('test'),
      },
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-retire-campaign-'));
  });
  afterAll(async () => {
    await f.stop([account], [campaignWorkflowId(name)]);
    await new Promise((r) => receiver?.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function status(): Promise<CampaignStatus> {
    const run = await runCli(['campaign', 'status', name, '--json'], cliEnv(f.emu, account, f.taskQueue));
    expect(run.code, run.stderr).toBe(0);
    return run.json<CampaignStatus>();
  }

  async function until(check: (s: CampaignStatus) => boolean, ms = 60_000): Promise<CampaignStatus> {
    for (const end = Date.now() + ms; ;) {
      const s = await status();
      if (check(s)) return s;
      if (Date.now() > end) throw new Error(`campaign never got there: ${JSON.stringify(s)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  it('starts from a file, pauses between waves for approval, resumes, reports', async () => {
    const keys = await Promise.all(Array.from({ length: 3 }, () => f.emu.admin.seedKey({ account, ...IDLE })));
    const file = path.join(dir, 'keys.txt');
    fs.writeFileSync(file, keys.map((k) => k.Arn).join('\n'));
    const env = cliEnv(f.emu, account, f.taskQueue);
    const started = await runCli(
      [
        'campaign',
        'start',
        name,
        '--from',
        file,
        '--waves',
        '1,rest',
        '--approval-between-waves',
        '--soak',
        '1s',
        '--trail-lag',
        '0s',
        '--pending-window-days',
        '7',
        '--ticket',
        'CHG-9',
        '--json',
      ],
      env,
    );
    expect(started.code, started.stderr).toBe(0);
    expect(started.json()).toMatchObject({ name, workflowId: `campaign/${name}`, started: true, keys: 3 });

    const paused = await until((s) => s.state === 'Paused');
    expect(paused).toMatchObject({
      name,
      state: 'Paused',
      keys: 3,
      budget: { maxReenabled: '0', maxFailed: '0', nextWaveAfter: 'decided', approvalBetweenWaves: true },
      neededBy: [],
    });
    expect(paused.reason).toMatch(/waits for approval/);
    expect(paused.waves.map((w) => [w.index, w.size, w.started, w.decided])).toEqual([
      [0, 1, 1, 1],
      [1, 2, 0, 0],
    ]);
    expect(paused.waves[0]?.outcomes).toEqual({ PendingDeletion: 1 });
    expect(paused.savings).toMatchObject({ keysDeleted: 0, keysPendingDeletion: 1, usdPerMonth: 1, usdPerYear: 12 });

    const listed = await runCli(['campaign', 'list', '--json'], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.json<{ name: string }[]>().map((c) => c.name)).toContain(name);

    const resumed = await runCli(['campaign', 'resume', name], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    const done = await until((s) => s.state === 'Done');
    expect(done.savings).toMatchObject({ keysPendingDeletion: 3, usdPerMonth: 3, usdPerYear: 36 });
    expect(done.savings.byAccount).toEqual([{ account, keysDeleted: 0, keysPendingDeletion: 3, usdPerMonth: 3 }]);

    const html = path.join(dir, 'report.html');
    const csv = path.join(dir, 'report.csv');
    const report = await runCli(['campaign', 'report', name, '--html', html, '--csv', csv], env);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toContain(html);
    const page = fs.readFileSync(html, 'utf8');
    expect(page).toContain('<svg');
    expect(page).toContain('$3.00');
    expect(page).not.toMatch(/<script|src="http/);
    const rows = fs.readFileSync(csv, 'utf8').trim().split('\n');
    expect(rows[0]).toBe(
      'keyArn,account,region,wave,state,phase,outcome,deletionDate,usdPerMonth,neededBy,reason,rotations,keyUsdPerMonth',
    );
    expect(
      rows
        .slice(1)
        .map((r) => r.split(',')[0])
        .sort(),
    ).toEqual(keys.map((k) => k.Arn).sort());
    expect(rows.slice(1).every((r) => r.includes(',PendingDeletion,'))).toBe(true);

    // The ticket heard of the campaign's milestones, in order (and of each key's, from its retirement).
    const campaignPosts = () => posts.filter((p) => p.campaign === name).map((p) => p.milestone);
    for (let i = 0; i < 40 && !campaignPosts().includes('campaign-done'); i++)
      await new Promise((r) => setTimeout(r, 250));
    expect(campaignPosts()).toEqual([
      'campaign-started',
      'campaign-wave-1-done',
      'campaign-paused-1',
      'campaign-wave-2-done',
      'campaign-done',
    ]);
    expect(posts.filter((p) => p.campaign === undefined && p.ticket.id === 'CHG-9').length).toBeGreaterThan(0);

    // The retirements name their campaign (search attribute), so visibility lists them.
    const members = f.client.workflow.list({ query: `KmsCampaign = "${name}" AND WorkflowType = "retireKey"` });
    const ids: string[] = [];
    for await (const w of members) ids.push(w.workflowId);
    expect(ids).toHaveLength(3);

    // Prometheus: campaigns per state, from visibility (eventually consistent on the dev server).
    const metrics = createPrometheusMetrics();
    let text = '';
    for (let i = 0; i < 20 && !/kms_retire_campaigns\{state="Done"\} [1-9]/.test(text); i++) {
      await readVisibility(f.client, metrics);
      text = await metrics.registry.metrics();
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(text).toMatch(/kms_retire_campaigns\{state="Done"\} [1-9]/);
    expect(text).toMatch(/kms_retire_campaigns\{state="Paused"\} \d+/);
  });

  it.each([
    [['campaign', 'start', 'bad/name', 'arn:aws:kms:us-east-1:111122223333:key/x'], /campaign name/],
    [['campaign', 'start', 'ok', '--waves', '0,rest', 'k'], /--waves 0,rest/],
    [['campaign', 'start', 'ok', '--waves', 'rest,10', 'k'], /--waves rest,10/],
    [['campaign', 'start', 'ok', '--max-reenabled', 'lots', 'k'], /--max-reenabled lots/],
    [['campaign', 'start', 'ok', '--max-failed', '120%', 'k'], /--max-failed 120%/],
    [['campaign', 'start', 'ok', '--next-wave-after', 'lunch', 'k'], /--next-wave-after lunch/],
    [['campaign', 'start', 'ok', '--soak', 'forever', 'k'], /soak/],
    [['campaign', 'start', 'ok'], /needs keys/],
    [['campaign', 'resume', 'ok', '--max-reenabled', '-1'], /--max-reenabled -1/],
  ])('exits 2 naming what was wrong: %j', async (args, message) => {
    // No Temporal server or emulator is given: nothing may be contacted.
    const run = await runCli(args, { TEMPORAL_ADDRESS: '127.0.0.1:1', AWS_ENDPOINT_URL: 'http://127.0.0.1:1' });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('names an unknown campaign (exit 1)', async () => {
    const run = await runCli(['campaign', 'status', 'no-such-campaign'], cliEnv(f.emu, account, f.taskQueue));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no campaign no-such-campaign/);
  });
});
