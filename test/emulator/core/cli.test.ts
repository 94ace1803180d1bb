import { describe, expect, it, vi } from 'vitest';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { runEmulator } from '../../../src/cli/commands/emulator';
import { main } from '../../../src/cli/main';

describe('kms-retire emulator (bad usage)', () => {
  it('exits 2 naming a bad --trail-delay or --port', async () => {
    const writes: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      expect(await main(['node', 'kms-retire', 'emulator', '--trail-delay', '5x'])).toBe(2);
      expect(await main(['node', 'kms-retire', 'emulator', '--port', 'abc'])).toBe(2);
      expect(await main(['node', 'kms-retire', 'emulator', '--lookup-rate', '-1'])).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(writes.join('')).toContain('--trail-delay "5x" is not a duration');
    expect(writes.join('')).toContain('--port must be a number');
    expect(writes.join('')).toContain('--lookup-rate must be a number');
  });
});

describe('kms-retire emulator (running)', () => {
  it('prints its URL, serves the SDK there, and stops when told', async () => {
    const lines: string[] = [];
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const running = runEmulator(
      { port: '0', host: '127.0.0.1', trailDelay: '5m', lookupRate: '2', json: true },
      () => stopped,
      (line) => lines.push(line),
    );
    for (let i = 0; i < 200 && lines.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    const { url } = JSON.parse(lines[0]!) as { url: string };
    const kms = new KMSClient({
      endpoint: url,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: '111122223333', secretAccessKey: 'x' },
    });
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    expect(KeyMetadata?.AWSAccountId).toBe('111122223333');
    kms.destroy();
    stop();
    await running;
    await expect(fetch(`${url}/_emulator/health`)).rejects.toThrow();
  });
});
