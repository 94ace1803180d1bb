/**
 * The campaign report shows rotation charges: the CSV's rotations and key price per key (blank when
 * unknown), the HTML's rotation figure, its rotated keys and the lower-bound warning, and the text
 * status. Built from a real book, so the report reads what the ledger computed.
 */
import { describe, expect, it } from 'vitest';
import { campaignCsv } from '../../src/cli/campaign-report';
import { renderCampaignHtml } from '../../src/cli/campaign-html';
import { renderCampaignStatus } from '../../src/cli/campaign-view';
import { CampaignBook } from '../../src/workflows/campaign/campaign-book';
import { buildCampaignSettings } from '../../src/workflows/campaign/settings';

const arn = (i: number): string =>
  `arn:aws:kms:us-east-1:111122223333:key/${String(i).padStart(8, '0')}-aaaa-bbbb-cccc-dddddddddddd`;

function book(): CampaignBook {
  const b = CampaignBook.fresh(buildCampaignSettings({ name: 'r', waves: 'rest' }), [0, 1, 2, 3].map(arn));
  b.beginWave(0, 'now');
  for (const k of b.keysOfWave(0)) b.recordStart(k.keyArn, true);
  b.onReport({ keyArn: arn(0), phase: 'PendingDeletion', deletionDate: '2027-01-01', rotations: 2 });
  b.onReport({ keyArn: arn(1), phase: 'PendingDeletion', deletionDate: '2027-01-01' });
  b.onReport({ keyArn: arn(2), phase: 'Done', outcome: 'Reenabled', rotations: 1 });
  return b;
}

describe('campaign report with rotation charges', () => {
  it('adds rotations and the key price at the end of each CSV row', () => {
    const b = book();
    const [header, ...rows] = campaignCsv(b.status(), b.c.keys).trim().split('\n');
    expect(header).toBe(
      'keyArn,account,region,wave,state,phase,outcome,deletionDate,usdPerMonth,neededBy,reason,rotations,keyUsdPerMonth',
    );
    const tail = (r: string | undefined) => r?.split(',').slice(-5);
    // usdPerMonth (saved), neededBy, reason, rotations, keyUsdPerMonth
    expect(rows.map(tail)).toEqual([
      ['3.00', '', '', '2', '3.00'],
      ['1.00', '', '', '', '1.00'],
      ['0.00', '', '', '1', '2.00'],
      ['0.00', '', '', '', ''],
    ]);
  });

  it('shows the rotation charges and says the savings are a lower bound in the HTML and the text status', () => {
    const b = book();
    const s = b.status();
    expect(s.savings).toMatchObject({ usdPerMonth: 4, rotationUsdPerMonth: 2, rotationsUnknown: 1, lowerBound: true });
    const html = renderCampaignHtml(s, b.c.keys, '2026-01-01T00:00:00Z');
    expect(html).toContain('<b>$2.00</b>a month of it rotation charges');
    expect(html).toMatch(/<p id="lower-bound"><b>A lower bound:<\/b> 1 key\(s\)/);
    // Only keys no longer charged are listed with their rotations (the re-enabled one is charged still).
    const rotated = /<table id="rotated">.*?<\/table>/.exec(html)?.[0];
    expect(rotated).toContain(`<tr><td><code>${arn(0)}</code></td><td>2</td><td>$3.00</td></tr>`);
    expect(rotated).not.toContain(arn(2));
    const text = renderCampaignStatus(s);
    expect(text).toContain('of it $2.00 a month rotation charges');
    expect(text).toContain('a lower bound: 1 key(s) with unknown rotations');
  });
});
