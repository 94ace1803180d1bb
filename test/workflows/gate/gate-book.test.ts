/** The disabling gate's bookkeeping rules, without Temporal: permits, queue order, idempotence, leases, carry. */
import { describe, expect, it } from 'vitest';
import { GateBook } from '../../../src/workflows/gate/gate-book';
import {
  resolveDisablingGateConfig,
  DEFAULT_DISABLING_GATE_CONFIG,
  type DisablingGateCarry,
} from '../../../src/workflows/gate/gate-config';
import { packCarry, unpackCarry } from '../../../src/workflows/packed-carry';

const config = resolveDisablingGateConfig({ limit: 2, leaseMs: 1000 });

describe('GateBook', () => {
  it('grants up to the limit, first come first served, and queues the rest', () => {
    const book = new GateBook(config);
    for (const id of ['a', 'b', 'c', 'd']) book.request(id);
    expect(book.grant(0)).toEqual(['a', 'b']);
    expect(book.grant(0)).toEqual([]);
    expect(book.state('111122223333', 'd')).toMatchObject({
      limit: 2,
      queued: 2,
      position: 2,
      holders: [{ workflowId: 'a' }, { workflowId: 'b' }],
    });
    book.release('a');
    expect(book.grant(10)).toEqual(['c']);
    expect(book.position('c')).toBe(0);
    expect(book.position('d')).toBe(1);
  });

  it('is idempotent: a second request from a holder or a queued workflow changes nothing; a stranger release is a no-op', () => {
    const book = new GateBook(resolveDisablingGateConfig({ limit: 1 }));
    book.request('a');
    book.request('b');
    book.grant(0);
    book.request('a');
    book.request('b');
    expect(book.carry()).toEqual({ holders: [{ workflowId: 'a', grantedAt: 0 }], queue: ['b'] });
    book.release('stranger');
    expect(book.carry()).toEqual({ holders: [{ workflowId: 'a', grantedAt: 0 }], queue: ['b'] });
  });

  it('a release of a queued entry takes it out of the queue', () => {
    const book = new GateBook(resolveDisablingGateConfig({ limit: 1 }));
    for (const id of ['a', 'b', 'c']) book.request(id);
    book.grant(0);
    book.release('b');
    expect(book.queue).toEqual(['c']);
    expect(book.position('b')).toBeUndefined();
    book.request('b');
    expect(book.queue).toEqual(['c', 'b']);
  });

  it('takes back permits held past their lease, and says when the next lease ends', () => {
    const book = new GateBook(config);
    book.request('a');
    book.request('b');
    book.grant(0);
    book.release('b');
    book.request('c');
    book.grant(500);
    expect(book.nextLeaseEnd()).toBe(1000);
    expect(book.reclaim(999)).toEqual([]);
    expect(book.reclaim(1000)).toEqual(['a']);
    expect(book.nextLeaseEnd()).toBe(1500);
    expect(book.reclaim(1500)).toEqual(['c']);
    expect(book.idle).toBe(true);
    expect(book.nextLeaseEnd()).toBeUndefined();
  });

  it('carries holders (with their lease) and queue across continue-as-new', () => {
    const book = new GateBook(config);
    for (const id of ['a', 'b', 'c']) book.request(id);
    book.grant(7);
    const next = new GateBook(config, book.carry());
    expect(next.carry()).toEqual(book.carry());
    expect(next.position('c')).toBe(1);
    next.request('c');
    expect(next.queue).toEqual(['c']);
  });

  it('carries 30,000 queued retirements inside the payload limit, deflated', () => {
    const book = new GateBook(config);
    const hex = (n: number, width: number): string =>
      ((n * 2654435761) % 16 ** width).toString(16).padStart(width, '0');
    for (let n = 0; n < 30_000; n++)
      book.request(`retire-key/111122223333/us-east-1/${hex(n, 8)}-12ab-44cd-96ef-${hex(n * 7919, 12)}`);
    book.grant(0);
    const carry = book.carry();
    const packed = packCarry(carry);
    // As JSON the queue alone is over Temporal's 2 MB limit; deflated, well under its 512 KB warning.
    expect(JSON.stringify(carry).length).toBeGreaterThan(2 * 1024 * 1024);
    expect(packed.byteLength).toBeLessThan(512 * 1024);
    expect(new GateBook(config, unpackCarry<DisablingGateCarry>(packed)).carry()).toEqual(carry);
  });
});

describe('disabling gate settings (the worker parses them: test/cli/worker-settings.test.ts)', () => {
  it('defaults to 10 per account and a 15-minute lease; refuses a fractional limit', () => {
    expect(resolveDisablingGateConfig()).toMatchObject({ limit: 10, leaseMs: 15 * 60_000 });
    expect(DEFAULT_DISABLING_GATE_CONFIG.limit).toBe(10);
    expect(() => resolveDisablingGateConfig({ limit: 1.5 })).toThrow(/whole number/);
    expect(() => resolveDisablingGateConfig({ leaseMs: 0 })).toThrow(/leaseMs/);
  });
});
