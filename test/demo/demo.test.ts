import fs from 'node:fs';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../src/demo/run-demo';
import { WORKLOAD_PRINCIPAL } from '../../src/demo/scenario';
import { runCli } from '../cli/helpers/run-cli';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function accepts(address: string): Promise<boolean> {
  const [host, port] = address.replace(/^http:\/\//, '').split(':') as [string, string];
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('kms-retire demo', () => {
  it('ends with the expected outcomes of its five keys, prints progress, a table and the Web UI address, keeps running with --keep until stopped, then leaves nothing running', async () => {
    const lines: string[] = [];
    const stop = new AbortController();
    let keptRunning: Promise<boolean> | undefined;
    const write = (t: string): void => {
      lines.push(t);
      const kept = /the emulator at (\S+)\. Press Ctrl-C/.exec(t);
      // --keep: everything still answers after the outcomes, until the stop signal (Ctrl-C in the CLI).
      if (kept) keptRunning = accepts(kept[1] as string).finally(() => stop.abort());
    };
    const report = await runDemo({
      soak: '3s',
      keep: true,
      stop: stop.signal,
      out: { isTTY: false, write },
      pollMs: 500,
    });
    expect(await keptRunning).toBe(true);
    const text = lines.join('');

    expect(report.outcomes.map((o) => [o.label, o.actual, o.ok])).toEqual([
      ['unused', 'deletion scheduled', true],
      ['still used', 'Reenabled', true],
      ['AWS managed', 'Refused', true],
      ['DynamoDB', 'Refused', true],
      ['EBS volume', 'Refused', true],
    ]);
    expect(report.ok).toBe(true);
    expect(report.outcomes[1]?.reason).toContain(WORKLOAD_PRINCIPAL);
    expect(report.outcomes[2]?.reason).toContain('AwsManaged');
    // Idle by GetKeyLastUsage, refused for what still names them: each dependent as type + ARN.
    expect(report.outcomes[3]?.reason).toMatch(
      /^HasDependents: .*dynamodb:table arn:aws:dynamodb:\S+:table\/demo-orders/,
    );
    expect(report.outcomes[4]?.reason).toMatch(
      /^HasDependents: .*ec2:volume arn:aws:ec2:\S+:volume\/vol-\w+ \(attached to i-/,
    );

    // Live progress went through the phases, as plain lines (not a TTY).
    expect(text).toMatch(/unused\s+\S+\s+Soaking/);
    expect(text).toMatch(/unused\s+\S+\s+PendingDeletion\s+deletion scheduled/);
    expect(text).not.toContain('\x1b[');
    expect(text).toContain('✔ all 5 outcomes as expected.');
    // The small campaign: its first wave has a key still needed, so it pauses with wave 2 untouched.
    expect(report.campaign?.status?.state).toBe('Paused');
    expect(report.campaign?.status?.waves.map((w) => w.started)).toEqual([2, 0]);
    expect(text).toContain(`campaign report: ${report.campaign?.reportPath ?? '?'}`);
    expect(fs.readFileSync(report.campaign?.reportPath ?? '', 'utf8')).toContain('<svg');
    expect(text).toContain(`Web UI: ${report.uiUrl}/namespaces/default/workflows?query=`);
    expect(report.uiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    // Nothing left running: the dev server's process, its Web UI, its frontend and the emulator are gone.
    expect(alive(report.devServerPid)).toBe(false);
    expect(await accepts(report.address)).toBe(false);
    expect(await accepts(report.uiUrl)).toBe(false);
    expect(await accepts(report.emulatorUrl)).toBe(false);
  });

  it('with --push, the still-used key is re-enabled on the pushed event within seconds of its first refused call', async () => {
    const lines: string[] = [];
    const report = await runDemo({
      soak: '3s',
      push: true,
      out: { isTTY: false, write: (t) => void lines.push(t) },
      pollMs: 500,
    });
    expect(report.outcomes.map((o) => [o.label, o.actual, o.ok])).toEqual([
      ['unused', 'deletion scheduled', true],
      ['still used', 'Reenabled', true],
      ['AWS managed', 'Refused', true],
      ['DynamoDB', 'Refused', true],
      ['EBS volume', 'Refused', true],
    ]);
    const text = lines.join('');
    expect(text).toContain('push detection: an EventBridge rule');
    const seconds = /re-enabled ([\d.]+) s after its first refused call \(pushed by EventBridge\)/.exec(text);
    // What re-enabled it was the pushed event, not a sweep (the speed itself is the bench's to measure).
    expect(seconds).not.toBeNull();
    expect(await accepts(report.emulatorUrl)).toBe(false);
  });

  it('refuses a soak it cannot show in a demo (exit 2) before starting anything', async () => {
    const run = await runCli(['demo', '--soak', '2h']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('the demo takes a soak from 1s to 1h');
    const port = await runCli(['demo', '--ui-port', 'eighty']);
    expect(port.code).toBe(2);
  });
});
