import { describe, expect, it, vi } from 'vitest';
import { runEmulator } from '../../../src/cli/commands/emulator';
import { EmulatorAdmin } from '../../../src/emulator/admin-client';
import { main } from '../../../src/cli/main';

describe('kms-retire emulator --event-delay', () => {
  it('sets the EventBridge delivery delay', async () => {
    const lines: string[] = [];
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const running = runEmulator(
      { port: '0', host: '127.0.0.1', trailDelay: '0s', eventDelay: '2s', lookupRate: '2', json: true },
      () => stopped,
      (line) => lines.push(line),
    );
    for (let i = 0; i < 200 && lines.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    const { url } = JSON.parse(lines[0]!) as { url: string };
    const admin = new EmulatorAdmin(url);
    expect((await admin.eventBridge()).settings.deliveryDelayMs).toBe(2000);
    // reset goes back to the flag's delay, not to 0.
    await admin.setEventBridge({ deliveryDelayMs: 5 });
    await admin.reset();
    expect((await admin.eventBridge()).settings.deliveryDelayMs).toBe(2000);
    stop();
    await running;
  });

  it('exits 2 naming a bad --event-delay', async () => {
    const writes: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      expect(await main(['node', 'kms-retire', 'emulator', '--event-delay', 'soon'])).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(writes.join('')).toContain('--event-delay "soon" is not a duration');
  });
});
