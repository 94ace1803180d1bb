/** `campaign status` for a person: the state and why, the waves as a table, who needed keys, the savings. */
import type { CampaignStatus } from '../workflows/campaign/messages';
import { table } from './output';

const usd = (n: number): string => `$${n.toFixed(2)}`;

export function renderCampaignStatus(s: CampaignStatus): string {
  const lines = [`Campaign ${s.name}: ${s.state} — ${s.keys} key(s), ${s.waves.length} wave(s)`];
  if (s.reason) lines.push(`  ${s.reason}`);
  lines.push(
    `  budget per wave: --max-reenabled ${s.budget.maxReenabled}, --max-failed ${s.budget.maxFailed}; next wave after ${s.budget.nextWaveAfter}${s.budget.approvalBetweenWaves ? ', approval between waves' : ''}`,
    '',
    table(
      ['wave', 'size', 'started', 'decided', 'skipped', 'outcomes'],
      s.waves.map((w) => [
        `${w.index + 1}${s.stoppedAtWave === w.index ? ' (over budget)' : ''}`,
        w.size,
        w.started,
        w.decided,
        w.skipped,
        Object.entries(w.outcomes)
          .map(([o, n]) => `${o} ${n}`)
          .join(', '),
      ]),
    ),
  );
  if (s.neededBy.length) {
    lines.push('', 'Needed by:');
    for (const n of s.neededBy) lines.push(`  ${n.keyArn}  ${n.principal}`);
  }
  if (s.skipped.length) {
    lines.push('', 'Skipped:');
    for (const k of s.skipped) lines.push(`  ${k.keyArn}  ${k.reason}`);
  }
  const v = s.savings;
  lines.push(
    '',
    `Savings: ${v.keysPendingDeletion} key(s) pending deletion, ${v.keysDeleted} deleted: ${usd(v.usdPerMonth)} a month, ${usd(v.usdPerYear)} a year${v.givenBackUsdPerMonth ? `; ${usd(v.givenBackUsdPerMonth)} a month given back by cancelled deletions` : ''}`,
  );
  // A campaign run by an older worker answers without the rotation fields.
  if (v.rotationUsdPerMonth) lines.push(`  of it ${usd(v.rotationUsdPerMonth)} a month rotation charges`);
  if (v.rotationsUnknown)
    lines.push(
      `  a lower bound: ${v.rotationsUnknown} key(s) with unknown rotations are counted at the key price only`,
    );
  return lines.join('\n');
}
