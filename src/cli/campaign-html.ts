/**
 * The campaign report as one HTML page a person would rather look at than read: the state and
 * where the budget stopped it, outcomes per wave as an inline SVG chart (stacked bars), who needed
 * the re-enabled keys, and the savings per account. No script, no external resource.
 */
import type { CampaignKey, CampaignStatus, WaveStatus } from '../workflows/campaign/messages';
import { noLongerCharged } from '../workflows/campaign/savings';

/** Colours per outcome: green what was saved, red what was still needed, grey the rest. */
const SERIES: {
  key: keyof WaveStatus['outcomes'] | 'running' | 'skipped' | 'waiting';
  label: string;
  color: string;
}[] = [
  { key: 'Deleted', label: 'Deleted', color: '#1a7f37' },
  { key: 'PendingDeletion', label: 'Pending deletion', color: '#4ac26b' },
  { key: 'Reenabled', label: 'Re-enabled (needed)', color: '#cf222e' },
  { key: 'RolledBack', label: 'Rolled back (needed)', color: '#fa4549' },
  { key: 'Failed', label: 'Failed', color: '#9a6700' },
  { key: 'Interfered', label: 'Interfered', color: '#d4a72c' },
  { key: 'Refused', label: 'Refused', color: '#8250df' },
  { key: 'Cancelled', label: 'Cancelled', color: '#6e7781' },
  { key: 'running', label: 'Running', color: '#54aeff' },
  { key: 'skipped', label: 'Skipped', color: '#afb8c1' },
  { key: 'waiting', label: 'Not started', color: '#eaeef2' },
];

const esc = (s: string | number | undefined): string =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
const usd = (n: number): string => `$${n.toFixed(2)}`;

function waveCounts(w: WaveStatus): Record<string, number> {
  const decided = Object.values(w.outcomes).reduce((a, b) => a + (b ?? 0), 0);
  return {
    ...w.outcomes,
    running: Math.max(0, w.started - decided),
    skipped: w.skipped,
    waiting: Math.max(0, w.size - w.started - w.skipped),
  };
}

export function waveChart(s: CampaignStatus): string {
  const barH = 26;
  const gap = 12;
  const left = 90;
  const width = 640;
  const height = s.waves.length * (barH + gap) + gap;
  const bars = s.waves.map((w, i) => {
    const counts = waveCounts(w);
    const y = gap + i * (barH + gap);
    let x = left;
    const segs = SERIES.filter((series) => (counts[series.key] ?? 0) > 0).map((series) => {
      const n = counts[series.key] ?? 0;
      const wPx = Math.max(1, ((width - left - 10) * n) / Math.max(1, w.size));
      const rect = `<rect x="${x.toFixed(1)}" y="${y}" width="${wPx.toFixed(1)}" height="${barH}" fill="${series.color}"><title>wave ${w.index + 1}: ${esc(series.label)} ${n}</title></rect>`;
      x += wPx;
      return rect;
    });
    const stop = s.stoppedAtWave === w.index ? ' ⏸' : '';
    return `<text x="4" y="${y + barH * 0.68}" font-size="13">wave ${w.index + 1} (${w.size})${stop}</text>${segs.join('')}`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="outcomes per wave" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${bars.join('')}</svg>`;
}

function legend(): string {
  return `<p class="legend">${SERIES.map((x) => `<span><i style="background:${x.color}"></i>${esc(x.label)}</span>`).join(' ')}</p>`;
}

export function renderCampaignHtml(s: CampaignStatus, keys: readonly CampaignKey[], generatedAt: string): string {
  const v = s.savings;
  const needed = keys.filter((k) => k.outcome === 'Reenabled' || k.outcome === 'RolledBack');
  const neededRows = needed
    .map(
      (k) =>
        `<tr><td><code>${esc(k.keyArn)}</code></td><td>${esc(k.wave + 1)}</td><td>${esc(k.outcome)}</td><td>${(k.principals?.length ? k.principals : ['unknown']).map((p) => `<code>${esc(p)}</code>`).join('<br>')}</td></tr>`,
    )
    .join('');
  const accountRows = v.byAccount
    .map(
      (a) =>
        `<tr><td>${esc(a.account)}</td><td>${a.keysPendingDeletion}</td><td>${a.keysDeleted}</td><td>${usd(a.usdPerMonth)}</td><td>${usd(a.usdPerMonth * 12)}</td></tr>`,
    )
    .join('');
  // The keys whose price includes rotation charges: where the ledger's rotation figure comes from.
  const rotatedRows = keys
    .filter((k) => noLongerCharged(k) && (k.rotations ?? 0) > 0)
    .map(
      (k) =>
        `<tr><td><code>${esc(k.keyArn)}</code></td><td>${esc(k.rotations)}</td><td>${usd(k.usdPerMonth ?? 0)}</td></tr>`,
    )
    .join('');
  const waveRows = s.waves
    .map(
      (w) =>
        `<tr${s.stoppedAtWave === w.index ? ' class="stop"' : ''}><td>${w.index + 1}</td><td>${w.size}</td><td>${w.started}</td><td>${w.decided}</td><td>${w.reenabled}</td><td>${w.failed}</td><td>${esc(w.startedAt ?? '—')}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Campaign ${esc(s.name)} — kms-retire</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#1f2328;padding:0 1rem}
h1{margin-bottom:.2rem} .state{display:inline-block;padding:.1rem .6rem;border-radius:1rem;background:#ddf4ff;font-weight:600}
.state.Paused{background:#fff8c5}.state.Cancelled{background:#eaeef2}.state.Done{background:#dafbe1}
.cards{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}.card{border:1px solid #d0d7de;border-radius:8px;padding:.8rem 1.2rem;min-width:10rem}
.card b{display:block;font-size:1.6rem} table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
td,th{border-bottom:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;font-size:14px} tr.stop{background:#fff8c5}
.legend span{margin-right:.8rem;white-space:nowrap}.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}
code{font-size:12px}
</style></head><body>
<h1>Campaign ${esc(s.name)}</h1>
<p><span class="state ${esc(s.state)}" id="state">${esc(s.state)}</span> ${s.keys} keys in ${s.waves.length} waves · generated ${esc(generatedAt)}</p>
${s.reason ? `<p id="reason">${esc(s.reason)}</p>` : ''}
<div class="cards" id="savings">
<div class="card"><b>${usd(v.usdPerMonth)}</b>a month no longer charged</div>
<div class="card"><b>${usd(v.usdPerYear)}</b>a year</div>
<div class="card"><b>${v.keysPendingDeletion}</b>keys pending deletion</div>
<div class="card"><b>${v.keysDeleted}</b>keys deleted</div>
${v.rotationUsdPerMonth ? `<div class="card"><b>${usd(v.rotationUsdPerMonth)}</b>a month of it rotation charges</div>` : ''}
${v.givenBackUsdPerMonth ? `<div class="card"><b>${usd(v.givenBackUsdPerMonth)}</b>a month given back by cancelled deletions</div>` : ''}
</div>
${v.rotationsUnknown ? `<p id="lower-bound"><b>A lower bound:</b> ${v.rotationsUnknown} key(s) whose rotations could not be read (ListKeyRotations denied, or retired before kms-retire read them) are counted at the key price only.</p>` : ''}
<h2>Outcomes per wave</h2>
${waveChart(s)}
${legend()}
<h2>Budget</h2>
<p id="budget">Per wave: at most <b>${esc(s.budget.maxReenabled)}</b> keys still needed (Reenabled + RolledBack) and <b>${esc(s.budget.maxFailed)}</b> failed (Failed + Interfered); the next wave starts once the current one has ${esc(s.budget.nextWaveAfter)}${s.budget.approvalBetweenWaves ? ', after approval' : ''}.${s.stoppedAtWave === undefined ? '' : ` <b>Stopped at wave ${s.stoppedAtWave + 1}.</b>`}</p>
<table id="waves"><tr><th>wave</th><th>size</th><th>started</th><th>decided</th><th>needed</th><th>failed</th><th>started at</th></tr>${waveRows}</table>
<h2>Who needed the re-enabled keys</h2>
${needed.length ? `<table id="needed"><tr><th>key</th><th>wave</th><th>outcome</th><th>principals</th></tr>${neededRows}</table>` : '<p id="needed">No key turned out to be needed.</p>'}
<h2>Savings per account</h2>
<table id="accounts"><tr><th>account</th><th>pending deletion</th><th>deleted</th><th>a month</th><th>a year</th></tr>${accountRows}</table>
${rotatedRows ? `<h2>Rotated keys no longer charged</h2>\n<table id="rotated"><tr><th>key</th><th>rotations</th><th>a month</th></tr>${rotatedRows}</table>` : ''}
<p><small>Prices: KMS's list price, $1 per customer managed key a month (each multi-Region replica a key of its own; the first two rotations of a rotated key $1 a month each; nothing while pending deletion, the full charge again once a deletion is cancelled), <a href="https://aws.amazon.com/kms/pricing/">aws.amazon.com/kms/pricing</a>.</small></p>
</body></html>
`;
}
