import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyRefError, parseKeyArn } from '../../src/shared/arn';
import { checkResolvedOptions, OptionsError, resolveOptions } from '../../src/shared/options';
import { DEFAULT_OPTIONS, type RetirementOptions } from '../../src/shared/options';
import { BAD_KEYS, BAD_OPTIONS, GOOD_ARN } from './bad-inputs';

describe('the shared validators that every entry point goes through', () => {
  it.each(BAD_KEYS)('refuses $name as a key, saying what is wrong', ({ value, says }) => {
    expect(() => parseKeyArn(value)).toThrow(KeyRefError);
    expect(() => parseKeyArn(value)).toThrow(says);
  });

  it.each(BAD_OPTIONS)('refuses $name, naming the flag and the allowed range', ({ options, says }) => {
    expect(() => resolveOptions(options)).toThrow(OptionsError);
    expect(() => resolveOptions(options)).toThrow(says);
  });

  it('accepts the good ARN and the edges of every range', () => {
    expect(parseKeyArn(GOOD_ARN).account).toBe('111122223333');
    expect(resolveOptions({ pendingWindowDays: 7, soak: '1s', trailLag: '0s', minIdle: '0s' }).pendingWindowDays).toBe(
      7,
    );
    expect(resolveOptions({ pendingWindowDays: 30, soak: '365d', trailLag: '1d', minIdle: '3650d' }).soakMs).toBe(
      365 * 86_400_000,
    );
  });

  it('refuses resolved options out of range, as a workflow input from any client could carry them', () => {
    const bad: Partial<RetirementOptions>[] = [
      { pendingWindowDays: 6 },
      { pendingWindowDays: 7.5 },
      { soakMs: -1 },
      { soakMs: Number.NaN },
      { soakMs: Number.POSITIVE_INFINITY },
      { trailLagMs: 2 * 86_400_000 },
      { minIdleMs: -5 },
      { approval: 'sometimes' as 'none' },
      { soakMs: '14d' as unknown as number },
      { dependents: 'ignore' as 'warn' },
      { acceptAttachedVolumes: ['vol-xyz'] },
      { acceptAttachedVolumes: 'vol-0123456789abcdef0' as unknown as string[] },
    ];
    for (const patch of bad)
      expect(() => checkResolvedOptions({ ...DEFAULT_OPTIONS, ...patch }), JSON.stringify(patch)).toThrow(OptionsError);
  });

  it('reads options recorded before the dependency probes as --dependents refuse, and takes named volumes once each', () => {
    const { dependents: _d, acceptAttachedVolumes: _v, ...before } = DEFAULT_OPTIONS;
    expect(() => checkResolvedOptions(before)).not.toThrow();
    expect(resolveOptions({}).dependents).toBe('refuse');
    const vol = 'vol-0123456789abcdef0';
    expect(resolveOptions({ dependents: 'warn', acceptAttachedVolumes: [vol, vol] })).toMatchObject({
      dependents: 'warn',
      acceptAttachedVolumes: [vol],
    });
  });

  it('never accepts an arbitrary string as a key unless it is a well-formed key ARN (fixed seed)', () => {
    const wellFormed =
      /^arn:aws(-cn|-us-gov|-iso|-iso-b)?:kms:[a-z]{2}(-[a-z]+)+-\d+:\d{12}:key\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
    const near = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc
        .tuple(
          fc.constantFrom('arn:aws:kms:', 'arn:aws:kms:us-east-1:', `${GOOD_ARN.slice(0, 40)}`),
          fc.string({ maxLength: 80 }),
        )
        .map(([a, b]) => a + b),
      fc
        .tuple(fc.nat(GOOD_ARN.length - 1), fc.string({ minLength: 1, maxLength: 3 }))
        .map(([i, s]) => GOOD_ARN.slice(0, i) + s + GOOD_ARN.slice(i + 1)),
    );
    fc.assert(
      fc.property(near, (text) => {
        let accepted = false;
        try {
          parseKeyArn(text);
          accepted = true;
        } catch (err) {
          expect(err).toBeInstanceOf(KeyRefError);
          expect((err as Error).message.length).toBeGreaterThan(20);
        }
        expect(accepted).toBe(wellFormed.test(text.trim()));
      }),
      { seed: 7007, numRuns: 2000 },
    );
  });
});
