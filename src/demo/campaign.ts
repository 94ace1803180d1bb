/**
 * The demo's campaign: four idle keys in waves of 2 and the rest, with the default budget (no key
 * of a wave may turn out to be needed). A nightly batch job uses one key of the first wave once it
 * is disabled, so the campaign pauses on its budget with the second wave untouched, and the HTML
 * report is written for a person to open.
 */
import os from 'node:os';
import path from 'node:path';
import { startWorkload, type Workload } from '../emulator';
import { EmulatorAdmin } from '../emulator/admin-client';
import { writeCampaignReport } from '../cli/campaign-report';
import { readCampaignStatus, startCampaign } from '../workflows/campaign/client';
import { buildCampaignSettings } from '../workflows/campaign/settings';
import type { CampaignStatus } from '../workflows/campaign/messages';
import { readStatus } from '../workflows/retirement/client';
import { retirementWorkflowId } from '../shared/ids';
import { parseKeyArn } from '../shared/arn';
import type { RetirementOptionsInput } from '../shared/options';
import { DEMO_ACCOUNT, DEMO_REGION, type DemoStack } from './stack';

export const CAMPAIGN_NAME = 'demo-fleet';
const BATCH_ACCESS_KEY = 'AKIADEMONIGHTLY00001';
export const BATCH_PRINCIPAL = `arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/nightly-batch/run`;

export interface DemoCampaign {
  ok: boolean;
  status?: CampaignStatus;
  reportPath: string;
}

export async function runDemoCampaign(
  stack: DemoStack,
  options: RetirementOptionsInput,
  say: (line: string) => void,
  signal?: AbortSignal,
): Promise<DemoCampaign> {
  const admin = new EmulatorAdmin(stack.emulatorUrl);
  await admin.registerPrincipal({
    accessKeyId: BATCH_ACCESS_KEY,
    account: DEMO_ACCOUNT,
    roleName: 'nightly-batch',
    sessionName: 'run',
  });
  const keys = [];
  for (let i = 0; i < 4; i++)
    keys.push(
      await admin.seedKey({
        account: DEMO_ACCOUNT,
        region: DEMO_REGION,
        description: `fleet key ${i + 1}`,
        creationDate: '-700d',
        trackingStartDate: '-800d',
        lastUsage: { operation: 'Decrypt', timestamp: '-120d' },
      }),
    );
  const arns = keys.map((k) => k.Arn);
  const settings = buildCampaignSettings({
    name: CAMPAIGN_NAME,
    waves: '2,rest',
    retirement: { options, requestedBy: 'kms-retire demo' },
  });
  await startCampaign(stack.client, stack.taskQueue, settings, arns);
  say(
    `• campaign ${CAMPAIGN_NAME}: ${arns.length} keys in waves 2,rest, budget --max-reenabled 0 (kms-retire campaign status ${CAMPAIGN_NAME})`,
  );
  const needed = retirementWorkflowId(parseKeyArn(arns[1] ?? ''));
  let workload: Workload | undefined;
  let status: CampaignStatus | undefined;
  try {
    for (const end = Date.now() + 120_000; Date.now() < end && !signal?.aborted;) {
      status = await readCampaignStatus(stack.client, CAMPAIGN_NAME).catch(() => status);
      if (status && status.state !== 'Running') break;
      // The nightly job runs once its key is disabled: its calls fail, CloudTrail names it.
      if (!workload) {
        const s = await readStatus(stack.client, needed).catch(() => undefined);
        if (s && ['Soaking', 'AwaitingApproval'].includes(s.phase))
          workload = startWorkload({
            endpoint: stack.emulatorUrl,
            keyArn: arns[1] ?? '',
            accessKeyId: BATCH_ACCESS_KEY,
            ratePerSecond: 1,
          });
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await workload?.stop();
  }
  const reportPath = path.join(os.tmpdir(), `kms-retire-${CAMPAIGN_NAME}-report.html`);
  if (status) await writeCampaignReport(stack.client, CAMPAIGN_NAME, { html: reportPath });
  const untouched = (await admin.keys({ account: DEMO_ACCOUNT })).filter((k) => arns.slice(2).includes(k.Arn));
  const ok =
    status?.state === 'Paused' &&
    status.neededBy.some((n) => n.keyArn === arns[1] && n.principal === BATCH_PRINCIPAL) &&
    untouched.every((k) => k.KeyState === 'Enabled');
  if (status) {
    say(`• campaign ${CAMPAIGN_NAME} is ${status.state}: ${status.reason ?? ''}`);
    for (const n of status.neededBy) say(`    needed: ${n.keyArn} by ${n.principal}`);
    say(`    wave 2 (${status.waves[1]?.size ?? 0} keys) not started: still Enabled, no kms-retire tag`);
    say(`• campaign report: ${reportPath}`);
  }
  return { ok, status, reportPath };
}
