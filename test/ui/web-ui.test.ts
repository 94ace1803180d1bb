/**
 * The Temporal Web UI shows a retirement well: found by its key through a visibility query in the
 * UI's URL, with its phase and key among the search attributes, and its summary and current details
 * in User Metadata. Screenshots go to artifacts/ui/ (gitignored) as the test's artefacts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startRetirement } from '../../src/workflows/retirement/client';
import { statusQuery } from '../../src/workflows/retirement/messages';
import { launchBrowser } from '../helpers/browser';
import { eventually, freshAccount, startWorkerFixture, type WorkerFixture } from '../cli/helpers/worker';

const ARTIFACTS = path.resolve(__dirname, '../../artifacts/ui');
const UI_WAIT = { timeout: 30_000 };

describe('a retirement in the Temporal Web UI', () => {
  let f: WorkerFixture;
  let browser: Browser;
  let page: Page;
  const account = freshAccount();
  const ticket = `UI-${Math.random().toString(36).slice(2, 8)}`;
  let keyArn: string;
  let workflowId: string;
  /** The retirement's page in the UI, `…/workflows/<id>/<run id>` (the first test found it). */
  let runUrl = '';
  const openTab = async (tab: 'search-attributes' | 'user-metadata' | 'history'): Promise<void> => {
    expect(runUrl).toMatch(/\/workflows\/retire-key%2F[^/]+\/[0-9a-f-]{36}$/);
    // Straight to the tab: the default tab (history or timeline) would first load and draw every event.
    await page.goto(`${runUrl}/${tab}`);
  };

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    f = await startWorkerFixture();
    const key = await f.emu.admin.seedKey({
      account,
      creationDate: '-400d',
      lastUsage: { operation: 'Decrypt', timestamp: '-200d' },
    });
    keyArn = key.Arn;
    ({ workflowId } = await startRetirement(f.client, f.taskQueue, {
      keyArn,
      options: { soak: '2s', trailLag: '0s', pendingWindowDays: 7 },
      ticket: { id: ticket },
    }));
    // A real retirement, run by the worker against the emulator, until its deletion is scheduled…
    await eventually(
      async () =>
        (
          await f.client.workflow
            .getHandle(workflowId)
            .query(statusQuery)
            .catch(() => undefined)
        )?.phase === 'PendingDeletion'
          ? true
          : undefined,
      60_000,
      'PendingDeletion',
    );
    // …and until visibility (what the UI lists from) has caught up with the phase.
    await eventually(
      async () => {
        for await (const w of f.client.workflow.list({
          query: `KmsKeyArn = '${keyArn}' AND RetirementPhase = 'PendingDeletion'`,
        }))
          return w;
        return undefined;
      },
      15_000,
      'visibility',
    );
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  });

  afterAll(async () => {
    await browser?.close();
    await f?.client.workflow
      .getHandle(workflowId)
      .terminate('test over')
      .catch(() => undefined);
    await f?.stop([account]);
  });

  it('finds the retirement by its key with a visibility query in the URL', async () => {
    const ui = inject('temporalUiUrl');
    expect(ui).toMatch(/^http:\/\//);
    const query = `KmsKeyArn = "${keyArn}"`;
    await page.goto(`${ui}/namespaces/default/workflows?query=${encodeURIComponent(query)}`);
    const link = page.locator(`a[href*="${encodeURIComponent(workflowId)}"]`).first();
    await link.waitFor(UI_WAIT);
    expect(await link.innerText()).toContain(workflowId);
    // Only this retirement matches its key (a row links its id, run id, … : count distinct ids).
    const links = page.locator('a[href*="/workflows/retire-key%2F"]');
    const hrefs = await Promise.all(
      Array.from({ length: await links.count() }, async (_, i) => (await links.nth(i).getAttribute('href')) ?? ''),
    );
    expect(new Set(hrefs.map((h) => decodeURIComponent(h.split('/')[4] ?? '')))).toEqual(new Set([workflowId]));
    await page.screenshot({ path: path.join(ARTIFACTS, 'list-by-key.png') });
    await link.click();
    // The UI opens its default tab (`/history` up to UI 2.4x, `/timeline` since): either will do.
    await page.waitForURL(/\/workflows\/retire-key%2F[^/]+\/[0-9a-f-]{36}\/\w+/, UI_WAIT);
    runUrl = page.url().replace(/\/[\w-]+$/, '');
  });

  it('shows the key and the phase among the search attributes', async () => {
    await openTab('search-attributes');
    const attributes = page.getByText('"RetirementPhase": "PendingDeletion"');
    await attributes.waitFor(UI_WAIT);
    const text = await page.locator('main').innerText();
    expect(text).toContain(`"KmsKeyArn": "${keyArn}"`);
    expect(text).toContain(`"KmsAccount": "${account}"`);
    expect(text).toContain(`"TicketId": "${ticket}"`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'search-attributes.png') });
  });

  it('shows the summary and the current details: key, phase, ticket, deadlines', async () => {
    await openTab('user-metadata');
    const keyId = keyArn.slice(keyArn.lastIndexOf('/') + 1);
    // The UI renders summary and details (markdown) in sandboxed iframes: read every frame.
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
    const summary = `Retire KMS key ${keyId} (${account}, us-east-1) for ${ticket}`;
    // Current details come from the running worker (the SDK's metadata query).
    const text = await eventually(
      async () => {
        const t = await everyFrame();
        return t.includes(summary) && /Phase\s+PendingDeletion/.test(t) ? t : undefined;
      },
      30_000,
      'summary and current details',
    ).catch(async (err: unknown) => {
      await page.screenshot({ path: path.join(ARTIFACTS, 'failed-user-metadata.png') });
      fs.writeFileSync(path.join(ARTIFACTS, 'failed-user-metadata.txt'), await everyFrame());
      throw err;
    });
    expect(text).toContain(keyArn);
    expect(text).toMatch(new RegExp(`Ticket\\s+${ticket}`));
    expect(text).toMatch(/deletion on \d{4}-\d\d-\d\dT/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'retirement-details.png') });
  });

  it("names each AWS call in the event history's activity summaries", async () => {
    await openTab('history');
    const keyId = keyArn.slice(keyArn.lastIndexOf('/') + 1);
    // Compact shows one row per activity: the dependents checks and the watcher's signals fit on one page.
    await page.getByText('Compact', { exact: true }).first().click();
    const disable = page.getByText(`DisableKey ${keyId}`).first();
    await eventually(
      async () => {
        if (await disable.isVisible()) return true;
        await page.mouse.wheel(0, 1500);
        await page.waitForTimeout(300);
        return undefined;
      },
      UI_WAIT.timeout,
      'the DisableKey row in the history',
    ).catch(async (err: unknown) => {
      await page.screenshot({ path: path.join(ARTIFACTS, 'failed-history.png'), fullPage: true });
      fs.writeFileSync(path.join(ARTIFACTS, 'failed-history.txt'), await page.locator('main').innerText());
      throw err;
    });
    const activities = await page.locator('main').innerText();
    expect(activities).toMatch(/ScheduleKeyDeletion \S+ \(7 days\)/);
    // One dependents check per step (patch dependents-inventory), and a line naming what it found.
    expect(activities).toContain(`Dependents of ${keyId} (preflight)`);
    expect(activities).toMatch(new RegExp(`Dependents of ${keyId} \\(preflight\\): (none found|\\d+ found)`));
    expect(activities).not.toContain(`Probe dynamodb for ${keyId}`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'history.png') });
  });
});
