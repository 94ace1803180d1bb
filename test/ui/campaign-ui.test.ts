/**
 * A campaign in the Temporal Web UI and its HTML report in Chromium: the campaign's current
 * details show its waves, outcomes and savings, its search attributes its name and state; the
 * report shows the same as a chart and cards. Screenshots go to artifacts/ui/ (gitignored).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { readCampaignStatus, startCampaign } from '../../src/workflows/campaign/client';
import { buildCampaignSettings } from '../../src/workflows/campaign/settings';
import { writeCampaignReport } from '../../src/cli/campaign-report';
import { campaignWorkflowId } from '../../src/shared/ids';
import { launchBrowser } from '../helpers/browser';
import { eventually, freshAccount, startWorkerFixture, type WorkerFixture } from '../cli/helpers/worker';

const ARTIFACTS = path.resolve(__dirname, '../../artifacts/ui');
const UI_WAIT = { timeout: 30_000 };

describe('a campaign in the Temporal Web UI and its report in Chromium', () => {
  let f: WorkerFixture;
  let browser: Browser;
  let page: Page;
  const account = freshAccount();
  const name = `ui-${account}`;
  const workflowId = campaignWorkflowId(name);
  let runId = '';

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    f = await startWorkerFixture();
    const keys = await Promise.all(
      [0, 1].map(() =>
        f.emu.admin.seedKey({
          account,
          creationDate: '-400d',
          lastUsage: { operation: 'Decrypt', timestamp: '-200d' },
        }),
      ),
    );
    await startCampaign(
      f.client,
      f.taskQueue,
      buildCampaignSettings({
        name,
        waves: '1,rest',
        retirement: { options: { soak: '2s', trailLag: '0s', pendingWindowDays: 7 } },
      }),
      keys.map((k) => k.Arn),
    );
    await eventually(
      async () =>
        (await readCampaignStatus(f.client, name).catch(() => undefined))?.state === 'Done' ? true : undefined,
      60_000,
      'campaign Done',
    );
    await eventually(
      async () => {
        for await (const w of f.client.workflow.list({ query: `KmsCampaign = '${name}' AND CampaignState = 'Done'` }))
          return w;
        return undefined;
      },
      15_000,
      'visibility',
    );
    runId = (await f.client.workflow.getHandle(workflowId).describe()).runId;
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  });

  afterAll(async () => {
    await browser?.close();
    await f?.stop([account], [workflowId]);
  });

  const runUrl = (): string =>
    `${inject('temporalUiUrl')}/namespaces/default/workflows/${encodeURIComponent(workflowId)}/${runId}`;

  it("shows the campaign's waves, outcomes and savings in its current details", async () => {
    await page.goto(`${runUrl()}/user-metadata`);
    const everyFrame = async (): Promise<string> =>
      (
        await Promise.all(
          page.frames().map((fr) =>
            fr
              .locator('body')
              .innerText()
              .catch(() => ''),
          ),
        )
      ).join('\n');
    const text = await eventually(
      async () => {
        const t = await everyFrame();
        return t.includes(`Campaign ${name}`) && /Savings/.test(t) ? t : undefined;
      },
      30_000,
      'current details',
    ).catch(async (err: unknown) => {
      await page.screenshot({ path: path.join(ARTIFACTS, 'failed-campaign-details.png') });
      throw err;
    });
    expect(text).toMatch(/Done/);
    expect(text).toMatch(/wave 1: 1 keys, 1 started, 1 decided — PendingDeletion 1/);
    expect(text).toMatch(/wave 2: 1 keys, 1 started, 1 decided — PendingDeletion 1/);
    expect(text).toContain('2.00 USD a month, 24.00 USD a year no longer charged');
    await page.screenshot({ path: path.join(ARTIFACTS, 'campaign-details.png') });
  });

  it('shows its name and state among the search attributes', async () => {
    await page.goto(`${runUrl()}/search-attributes`);
    await page.getByText('"CampaignState": "Done"').waitFor(UI_WAIT);
    expect(await page.locator('main').innerText()).toContain(`"KmsCampaign": "${name}"`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'campaign-search-attributes.png') });
  });

  it('opens the HTML report: state, savings, a chart of the waves', async () => {
    const file = path.join(ARTIFACTS, 'campaign-report.html');
    await writeCampaignReport(f.client, name, { html: file });
    await page.goto(`file://${file}`);
    expect(await page.locator('#state').innerText()).toBe('Done');
    expect(await page.locator('#savings').innerText()).toContain('$2.00');
    // One bar a wave, each one segment (pending deletion).
    expect(await page.locator('svg rect').count()).toBe(2);
    expect(await page.locator('#waves tr').count()).toBe(3);
    await page.screenshot({ path: path.join(ARTIFACTS, 'campaign-report.png'), fullPage: true });
  });
});
