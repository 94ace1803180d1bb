/**
 * Markdown for the Web UI's "current details" of a campaign: state, waves with their outcomes,
 * the budget, who needed the re-enabled keys, and the savings. A list needs a blank line after its
 * bold heading (the Web UI's markdown runs them together otherwise).
 */
import type { CampaignStatus } from './messages';

const MAX_NEEDED = 10;

// Not "$2.00": the Web UI's markdown reads text between two dollar signs as math.
const usd = (n: number): string => `${n.toFixed(2)} USD`;

export function renderCampaignDetails(s: CampaignStatus): string {
  const lines = [`**Campaign** ${s.name} — **${s.state}** (${s.keys} keys)`];
  if (s.reason) lines.push('', `**Reason** ${s.reason}`);
  lines.push(
    '',
    `**Budget** per wave: --max-reenabled ${s.budget.maxReenabled}, --max-failed ${s.budget.maxFailed}; next wave after ${s.budget.nextWaveAfter}${s.budget.approvalBetweenWaves ? ', with approval between waves' : ''}${s.stoppedAtWave === undefined ? '' : `; stopped at wave ${s.stoppedAtWave + 1}`}`,
    '',
    '**Waves**',
    '',
  );
  for (const w of s.waves) {
    const outcomes = Object.entries(w.outcomes)
      .map(([o, n]) => `${o} ${n}`)
      .join(', ');
    lines.push(
      `- wave ${w.index + 1}: ${w.size} keys, ${w.started} started, ${w.decided} decided${w.skipped ? `, ${w.skipped} skipped` : ''}${outcomes ? ` — ${outcomes}` : ''}`,
    );
  }
  if (s.neededBy.length) {
    lines.push('', `**Needed by (${s.neededBy.length})**`, '');
    for (const n of s.neededBy.slice(0, MAX_NEEDED)) lines.push(`- \`${n.keyArn}\` by \`${n.principal}\``);
  }
  const v = s.savings;
  lines.push(
    '',
    '**Savings**',
    '',
    `- ${v.keysPendingDeletion} key(s) pending deletion, ${v.keysDeleted} deleted`,
    `- ${usd(v.usdPerMonth)} a month, ${usd(v.usdPerYear)} a year no longer charged`,
  );
  if (v.rotationUsdPerMonth) lines.push(`- ${usd(v.rotationUsdPerMonth)} a month of it rotation charges`);
  if (v.rotationsUnknown)
    lines.push(
      `- a lower bound: ${v.rotationsUnknown} key(s) with unknown rotations are counted at the key price only`,
    );
  if (v.givenBackUsdPerMonth) lines.push(`- ${usd(v.givenBackUsdPerMonth)} a month given back by cancelled deletions`);
  return lines.join('\n');
}
