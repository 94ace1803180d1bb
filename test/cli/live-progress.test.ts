import { describe, expect, it } from 'vitest';
import { ProgressRenderer } from '../../src/cli/live-progress';
import { statusLine, verdictOf } from '../../src/cli/status-line';
import { isDecided } from '../../src/workflows/retirement/client';
import type { RetirementStatus } from '../../src/workflows/retirement/messages';

const ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const base: RetirementStatus = {
  keyArn: ARN,
  phase: 'Soaking',
  usageEvents: [],
  timeline: [],
  soakEndsAt: '2026-01-01T00:00:20.000Z',
};
const sink = (isTTY: boolean) => {
  const chunks: string[] = [];
  return { isTTY, chunks, write: (t: string) => chunks.push(t) };
};

describe('live progress', () => {
  it('on a terminal, re-renders the block in place', () => {
    const tty = sink(true);
    const r = new ProgressRenderer(tty);
    r.render(['a 1', 'b 1']);
    r.render(['a 2', 'b 2']);
    expect(tty.chunks[0]).toBe('\x1b[2Ka 1\n\x1b[2Kb 1\n');
    // Up two lines, then each line cleared and rewritten.
    expect(tty.chunks[1]).toBe('\x1b[2F\x1b[2Ka 2\n\x1b[2Kb 2\n');
  });

  it('on a terminal, cuts lines to its width so that nothing wraps', () => {
    const tty = { ...sink(true), columns: 30 };
    new ProgressRenderer(tty).render(['x'.repeat(50)]);
    expect(tty.chunks[0]).toBe(`\x1b[2K${'x'.repeat(28)}…\n`);
  });

  it('in a log, prints a line only when it changed (a countdown alone is no change)', () => {
    const log = sink(false);
    const r = new ProgressRenderer(log);
    const at = (ms: number) => Date.parse('2026-01-01T00:00:00.000Z') + ms;
    r.render([statusLine('k', ARN, base, at(0))]);
    r.render([statusLine('k', ARN, base, at(5000))]);
    r.render([
      statusLine('k', ARN, { ...base, phase: 'PendingDeletion', deletionDate: '2026-01-08T00:00:00.000Z' }, at(25_000)),
    ]);
    expect(log.chunks).toEqual([
      'k 1234abcd-12ab-34cd-56ef-1234567890ab  Soaking          soak ends in 20s; no use seen\n',
      'k 1234abcd-12ab-34cd-56ef-1234567890ab  PendingDeletion  deletion scheduled for 2026-01-08T00:00:00.000Z; guarding the pending window\n',
    ]);
  });

  it.each([
    [undefined, false, undefined],
    [base, false, undefined],
    [{ ...base, phase: 'PendingDeletion' as const }, true, 'deletion scheduled'],
    [{ ...base, phase: 'Done' as const, outcome: 'Reenabled' as const }, true, 'Reenabled'],
    [{ ...base, phase: 'AwaitingApproval' as const }, false, undefined],
  ])('decided? %#', (status, decided, verdict) => {
    expect(isDecided(status)).toBe(decided);
    expect(verdictOf(status)).toBe(verdict);
  });
});
