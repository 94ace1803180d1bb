/**
 * `campaign report`: one self-contained HTML page (no scripts, no fetches: the chart is inline SVG)
 * and one CSV row per key. Read from the campaign's status and its packed key list.
 */
import fs from 'node:fs';
import type { Client } from '@temporalio/client';
import { readCampaignKeys, readCampaignStatus } from '../workflows/campaign/client';
import type { CampaignKey, CampaignStatus } from '../workflows/campaign/messages';
import { usageError } from './errors';
import { renderCampaignHtml } from './campaign-html';
import { noLongerCharged } from '../workflows/campaign/savings';

export async function writeCampaignReport(
  client: Client,
  name: string,
  files: { html?: string; csv?: string },
): Promise<string[]> {
  if (!files.html && !files.csv)
    throw usageError('campaign report needs --html FILE, --csv FILE or both.', 'no-output');
  const status = await readCampaignStatus(client, name);
  const keys = await readCampaignKeys(client, name);
  const written: string[] = [];
  if (files.html) {
    fs.writeFileSync(files.html, renderCampaignHtml(status, keys, new Date().toISOString()));
    written.push(`HTML report: ${files.html}`);
  }
  if (files.csv) {
    fs.writeFileSync(files.csv, campaignCsv(status, keys));
    written.push(`CSV (${keys.length} keys): ${files.csv}`);
  }
  return written;
}

const CSV_COLUMNS = [
  'keyArn',
  'account',
  'region',
  'wave',
  'state',
  'phase',
  'outcome',
  'deletionDate',
  'usdPerMonth',
  'neededBy',
  'reason',
  // Added later, so at the end: readers that go by position keep working.
  'rotations',
  'keyUsdPerMonth',
] as const;

function cell(v: string | number | undefined): string {
  const s = v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function campaignCsv(_status: CampaignStatus, keys: readonly CampaignKey[]): string {
  const rows = keys.map((k) => {
    const [, , , region, account] = k.keyArn.split(':');
    const saves = noLongerCharged(k);
    return [
      k.keyArn,
      account,
      region,
      k.wave + 1,
      k.state,
      k.phase,
      k.outcome,
      k.deletionDate,
      saves ? (k.usdPerMonth ?? 0).toFixed(2) : '0.00',
      (k.principals ?? []).join(' '),
      k.reason,
      // Blank when unknown (denied, or not reported yet): not the same as 0.
      k.rotations,
      k.usdPerMonth?.toFixed(2),
    ]
      .map(cell)
      .join(',');
  });
  return `${[CSV_COLUMNS.join(','), ...rows].join('\n')}\n`;
}
