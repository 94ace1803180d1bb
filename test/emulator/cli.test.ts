import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main';

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
