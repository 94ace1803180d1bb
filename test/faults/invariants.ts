/** What must hold after the soak, key by key, and the summary printed for people. */
import { keyStateOf, tagsOf } from './drive';
import { tally } from './accounting';
import type { LaneReport, SoakReport } from './run-soak';

export function violations(report: SoakReport): string[] {
  const out: string[] = [];
  if (report.timedOut) out.push(`the soak did not finish before its deadline:\n      ${report.stuck.join('\n      ')}`);
  for (const lane of report.lanes) {
    for (const key of lane.keys) {
      const name = `${lane.name} ${key.kind} ${key.arn.slice(-12)}`;
      const decided = lane.decided.get(key.arn);
      const calls = lane.calls.get(key.arn);
      if (decided?.outcome !== key.expect.outcome) {
        const when = key.usedAt
          ? `; used at ${new Date(key.usedAt).toISOString()}, soak ends ${decided?.soakEndsAt ?? '?'}, events seen ${decided?.usageEvents ?? '?'}`
          : '';
        out.push(
          `${name}: outcome ${decided?.outcome ?? 'none'} (${decided?.reason ?? ''}), expected ${key.expect.outcome}${when}`,
        );
      }
      const state = keyStateOf(report.emulator, key.arn);
      if (state !== key.expect.finalState) out.push(`${name}: key is ${state}, expected ${key.expect.finalState}`);
      const effective = calls?.effective.join(',') ?? '';
      if (effective !== key.expect.needs.join(','))
        out.push(`${name}: irreversible calls [${effective}], needed [${key.expect.needs.join(',')}]`);
      if (key.kind.startsWith('refused') && (calls?.mutations.length ?? 0) > 0)
        out.push(`${name}: refused, yet changed by ${calls?.mutations.join(',')}`);
      // A key given back is as it was: enabled and without kms-retire's tags.
      if (key.expect.outcome === 'Reenabled' || key.expect.outcome === 'RolledBack') {
        const ours = Object.keys(tagsOf(report.emulator, key.arn)).filter((t) => t.startsWith('kms-retire:'));
        if (ours.length) out.push(`${name}: given back with kms-retire tags ${ours.join(',')}`);
      }
    }
    if (lane.history.unreadable) out.push(`${lane.name}: histories could not be read: ${lane.history.unreadable}`);
    for (const g of lane.history.gaveUpOnRetryable)
      out.push(`${lane.name}: ${g.workflowId} activity ${g.activity} gave up on retryable ${g.type}: ${g.message}`);
    const denied = lane.keys.find((k) => k.kind === 'denied');
    if (denied) {
      const failures = lane.history.failures.filter((f) => f.workflowId.endsWith(denied.arn.split('/')[1] ?? '?'));
      // Every attempt got one AccessDenied answer: none was retried after the answer reached
      // Temporal (an attempt after the first means the worker died before it could report).
      const ok =
        failures.length === 1 &&
        failures[0]?.type === 'AccessDenied' &&
        failures[0].nonRetryable &&
        failures[0].attempt === report.faults.denied &&
        failures[0].activity === 'disableKey';
      if (!ok)
        out.push(
          `${lane.name}: the denied DisableKey should fail as non-retryable AccessDenied, one answer per attempt (${report.faults.denied} answers); saw ${JSON.stringify(failures)}`,
        );
      const reason = lane.decided.get(denied.arn)?.reason ?? '';
      if (!/AccessDeniedException/.test(reason) || !/kms:DisableKey/.test(reason))
        out.push(`${lane.name}: the denied key's reason does not say why: ${reason}`);
    }
    const others = lane.history.failures.filter(
      (f) => !denied || !f.workflowId.endsWith(denied.arn.split('/')[1] ?? '?'),
    );
    if (others.length) out.push(`${lane.name}: activities failed for good: ${JSON.stringify(others)}`);
  }
  return out;
}

function laneLine(lane: LaneReport): string {
  const t = tally(lane.keys, lane.calls);
  const outcomes: Record<string, number> = {};
  for (const d of lane.decided.values()) outcomes[d.outcome] = (outcomes[d.outcome] ?? 0) + 1;
  return [
    `  ${lane.name}: ${lane.keys.length} retirements → ${Object.entries(outcomes)
      .map(([o, n]) => `${n} ${o}`)
      .join(', ')}`,
    `    worker crashes injected (SIGKILL): ${lane.worker.kills}; worker starts: ${lane.worker.starts}; exits on its own: ${lane.worker.selfExits}`,
    `    irreversible calls needed: ${t.needed}; accepted by AWS: ${t.accepted} (state-changing: ${t.effective}, idempotent repeats after a crash: ${t.repeats}); attempts incl. refused: ${t.attempts}`,
    `    activity attempts retried: ${lane.history.retriedAttempts}; activities that failed for good: ${lane.history.failures.length}${lane.history.failures.length ? ` (${lane.history.failures.map((f) => `${f.activity}: ${f.type}`).join(', ')})` : ''}`,
  ].join('\n');
}

export function summary(report: SoakReport, found: string[]): string {
  const f = report.faults;
  const all = report.lanes.flatMap((l) => l.keys);
  const t = report.lanes
    .map((l) => tally(l.keys, l.calls))
    .reduce((a, b) => ({
      needed: a.needed + b.needed,
      accepted: a.accepted + b.accepted,
      effective: a.effective + b.effective,
      attempts: a.attempts + b.attempts,
      repeats: a.repeats + b.repeats,
    }));
  return [
    `kms-retire fault soak (seed ${report.seed}), ${(report.runMs / 1000).toFixed(0)} s`,
    `  retirements: ${all.length}`,
    `  crashes injected: ${report.lanes.reduce((n, l) => n + l.worker.kills, 0)} worker SIGKILLs, ${report.devServerRestarts} dev server SIGKILL + restart (Temporal away ${(report.devServerDownMs / 1000).toFixed(1)} s)`,
    `  AWS faults injected: ${f.throttled} throttled, ${f.serverErrors} server errors, ${f.denied} access denied, of ${f.requests} requests; latency added to every one (avg ${(f.delayedMsTotal / Math.max(1, f.requests)).toFixed(0)} ms)`,
    `  faults by service (throttled+5xx): ${byService(f)}`,
    `  irreversible calls made vs needed: ${t.effective} state-changing / ${t.needed} needed (${t.accepted} accepted, ${t.repeats} idempotent repeats)`,
    ...report.lanes.map(laneLine),
    `  invariant violations: ${found.length}`,
    ...found.map((v) => `    - ${v}`),
  ].join('\n');
}

function byService(f: SoakReport['faults']): string {
  const per = new Map<string, { throttled: number; serverErrors: number }>();
  for (const [op, n] of Object.entries(f.byOperation)) {
    const service = op.split(':')[0] ?? '?';
    const t = per.get(service) ?? { throttled: 0, serverErrors: 0 };
    t.throttled += n.throttled;
    t.serverErrors += n.serverErrors;
    per.set(service, t);
  }
  return [...per.entries()].map(([s, t]) => `${s} ${t.throttled}+${t.serverErrors}`).join(', ') || 'none';
}
