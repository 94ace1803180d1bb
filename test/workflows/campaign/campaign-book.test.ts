/** The campaign's pure rules: wave sizes, budget limits, the book's states and the savings ledger. */
import { describe, expect, it } from 'vitest';
import { allowed, keyMonthlyUsd, parseBudgetLimit, parseWaves, waveSizes } from '../../../src/shared/campaign';
import { CampaignBook } from '../../../src/workflows/campaign/campaign-book';
import { buildCampaignSettings } from '../../../src/workflows/campaign/settings';

/** Keys of two accounts, alternating. */
const arn = (i: number): string =>
  `arn:aws:kms:us-east-1:${i % 2 ? '111122223333' : '444455556666'}:key/${String(i).padStart(8, '0')}-1111-2222-3333-444444444444`;

describe('waves', () => {
  it.each([
    ['10,100,rest', 5, [5]],
    ['10,100,rest', 500, [10, 100, 390]],
    ['2', 7, [2, 2, 2, 1]],
    ['1,3', 8, [1, 3, 3, 1]],
    ['rest', 4, [4]],
    ['10,rest', 0, []],
  ])('%s over %i keys → %j', (spec, total, sizes) => {
    expect(waveSizes(parseWaves(spec), total)).toEqual(sizes);
  });
  it.each(['0', 'rest,1', '1,,2', 'ten', '-1'])('refuses %j', (spec) => {
    expect(() => parseWaves(spec)).toThrow(/wave|rest/);
  });
});

describe('budget limits', () => {
  it.each([
    ['0', 10, 0],
    ['2', 10, 2],
    ['10%', 10, 1],
    ['10%', 9, 0],
    ['50%', 3, 1],
    ['100%', 7, 7],
  ])('%s of a wave of %i allows %i', (text, size, n) => {
    expect(allowed(parseBudgetLimit(text), size)).toBe(n);
  });
  it.each(['-1', 'many', '101%', '5 %'])('refuses %j', (text) => {
    expect(() => parseBudgetLimit(text)).toThrow();
  });
});

describe('KMS list price (aws.amazon.com/kms/pricing)', () => {
  it.each([
    [0, 1],
    [1, 2],
    [2, 3],
    [5, 3],
  ])('a key with %i rotations costs $%i a month', (rotations, usd) => {
    expect(keyMonthlyUsd(rotations)).toBe(usd);
  });
});

describe('the book', () => {
  const book = (
    keys: number,
    extra: Parameters<typeof buildCampaignSettings>[0] extends infer T ? Partial<T> : never = {},
  ) =>
    CampaignBook.fresh(
      buildCampaignSettings({ name: 'b', waves: '2,rest', ...extra }),
      Array.from({ length: keys }, (_, i) => arn(i)),
    );

  it('starts the next wave only once the current one has decided', () => {
    const b = book(5);
    expect(b.nextWave()).toBe(0);
    b.beginWave(0, 'now');
    for (const k of b.keysOfWave(0)) b.recordStart(k.keyArn, true);
    expect(b.nextWave()).toBeUndefined();
    b.onReport({ keyArn: arn(0), phase: 'PendingDeletion' });
    expect(b.nextWave()).toBeUndefined();
    b.onReport({ keyArn: arn(1), phase: 'Done', outcome: 'Refused' });
    expect(b.nextWave()).toBe(1);
  });

  it('goes on with a wave left part-started (paused or continued-as-new mid-wave)', () => {
    const b = book(5);
    b.beginWave(0, 'now');
    b.recordStart(arn(0), true);
    expect(b.nextWave()).toBe(0);
  });

  it('pauses when a wave goes over its budget, naming who needed the key; resume accepts it', () => {
    const b = book(5);
    b.beginWave(0, 'now');
    b.recordStart(arn(0), true);
    b.recordStart(arn(1), true);
    b.onReport({ keyArn: arn(0), phase: 'Done', outcome: 'Reenabled', principals: ['arn:aws:iam::1:role/batch'] });
    expect(b.state).toBe('Paused');
    const s = b.status();
    expect(s.stoppedAtWave).toBe(0);
    expect(s.neededBy).toEqual([{ keyArn: arn(0), principal: 'arn:aws:iam::1:role/batch' }]);
    expect(s.reason).toMatch(/1 key\(s\) of wave 1 \(2 keys\)/);
    b.resume(undefined);
    expect(b.state).toBe('Running');
    b.onReport({ keyArn: arn(1), phase: 'PendingDeletion' });
    expect(b.nextWave()).toBe(1);
  });

  it('counts Failed + Interfered against --max-failed, Refused against nothing', () => {
    const b = book(6, { maxFailed: '50%', waves: '4,rest' });
    b.beginWave(0, 'now');
    for (const k of b.keysOfWave(0)) b.recordStart(k.keyArn, true);
    b.onReport({ keyArn: arn(0), phase: 'Done', outcome: 'Refused' });
    b.onReport({ keyArn: arn(1), phase: 'Done', outcome: 'Failed' });
    b.onReport({ keyArn: arn(2), phase: 'Done', outcome: 'Interfered' });
    expect(b.state).toBe('Running');
    b.onReport({ keyArn: arn(3), phase: 'Done', outcome: 'Failed' });
    expect(b.state).toBe('Paused');
    expect(b.status().reason).toMatch(/--max-failed 50%/);
  });

  it('asks for approval between waves, is Done once every key decided, finished once all are at their outcome', () => {
    const b = book(3, { approvalBetweenWaves: true });
    expect(b.approved(0)).toBe(true);
    b.beginWave(0, 'now');
    for (const k of b.keysOfWave(0)) b.recordStart(k.keyArn, true);
    for (const i of [0, 1]) b.onReport({ keyArn: arn(i), phase: 'PendingDeletion' });
    expect(b.approved(1)).toBe(false);
    b.pause('approval');
    b.resume(undefined);
    expect(b.approved(1)).toBe(true);
    b.beginWave(1, 'later');
    b.recordStart(arn(2), false, 'already under another retirement');
    expect(b.state).toBe('Done');
    expect(b.finished()).toBe(false);
    for (const i of [0, 1]) b.onReport({ keyArn: arn(i), phase: 'Done', outcome: 'Deleted' });
    expect(b.finished()).toBe(true);
    expect(b.status().skipped).toEqual([{ keyArn: arn(2), reason: 'already under another retirement' }]);
  });

  it('keeps a ledger per account, and gives back what cancelled deletions cost again', () => {
    const b = book(4, { waves: 'rest', usdPerKeyMonth: 1.5 });
    b.beginWave(0, 'now');
    for (const k of b.keysOfWave(0)) b.recordStart(k.keyArn, true);
    b.onReport({ keyArn: arn(0), phase: 'Done', outcome: 'Deleted' });
    b.onReport({ keyArn: arn(1), phase: 'PendingDeletion', deletionDate: '2027-01-01' });
    b.onReport({ keyArn: arn(2), phase: 'PendingDeletion', deletionDate: '2027-01-01' });
    b.onReport({ keyArn: arn(2), phase: 'Done', outcome: 'RolledBack', deletionDate: '2027-01-01' });
    b.onReport({ keyArn: arn(3), phase: 'Done', outcome: 'Refused' });
    const v = b.status().savings;
    expect(v).toMatchObject({
      keysDeleted: 1,
      keysPendingDeletion: 1,
      usdPerMonth: 3,
      usdPerYear: 36,
      givenBackUsdPerMonth: 1.5,
    });
    expect(v.byAccount).toEqual([
      { account: '111122223333', keysDeleted: 0, keysPendingDeletion: 1, usdPerMonth: 1.5 },
      { account: '444455556666', keysDeleted: 1, keysPendingDeletion: 0, usdPerMonth: 1.5 },
    ]);
  });

  it('prices each key with its rotations (0, 1, 2, 5 → $1, $2, $3, $3), counting only keys no longer charged', () => {
    const b = book(8, { waves: 'rest' });
    b.beginWave(0, 'now');
    for (const k of b.keysOfWave(0)) b.recordStart(k.keyArn, true);
    // Account 444455556666 (even keys): 0 rotations deleted, 2 pending, 5 deleted, 1 rolled back.
    b.onReport({ keyArn: arn(0), phase: 'PendingDeletion', deletionDate: '2027-01-01', rotations: 0 });
    b.onReport({ keyArn: arn(0), phase: 'Done', outcome: 'Deleted', deletionDate: '2027-01-01', rotations: 0 });
    b.onReport({ keyArn: arn(2), phase: 'PendingDeletion', deletionDate: '2027-01-01', rotations: 2 });
    b.onReport({ keyArn: arn(4), phase: 'Done', outcome: 'Deleted', deletionDate: '2027-01-01', rotations: 5 });
    b.onReport({ keyArn: arn(6), phase: 'PendingDeletion', deletionDate: '2027-01-01', rotations: 1 });
    b.onReport({ keyArn: arn(6), phase: 'Done', outcome: 'RolledBack', deletionDate: '2027-01-01', rotations: 1 });
    // Account 111122223333 (odd keys): 1 rotation pending; rotations unknown deleted; a refusal; one still soaking.
    b.onReport({ keyArn: arn(1), phase: 'PendingDeletion', deletionDate: '2027-01-01', rotations: 1 });
    b.onReport({ keyArn: arn(3), phase: 'Done', outcome: 'Deleted', deletionDate: '2027-01-01' });
    b.onReport({ keyArn: arn(5), phase: 'Done', outcome: 'Refused', rotations: 2 });
    b.onReport({ keyArn: arn(7), phase: 'AwaitingApproval', rotations: 2 });

    const keys = Object.fromEntries(b.c.keys.map((k) => [k.keyArn, k]));
    expect([0, 1, 2, 4, 6].map((i) => [keys[arn(i)]?.rotations, keys[arn(i)]?.usdPerMonth])).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
      [5, 3],
      [1, 2],
    ]);
    expect([keys[arn(3)]?.rotations, keys[arn(3)]?.usdPerMonth]).toEqual([undefined, 1]);
    const v = b.status().savings;
    // Deleted 0 ($1) + 5 ($3) + unknown ($1), pending 2 ($3) + 1 ($2); the rolled-back key is charged again.
    expect(v).toEqual({
      keysDeleted: 3,
      keysPendingDeletion: 2,
      usdPerMonth: 10,
      usdPerYear: 120,
      givenBackUsdPerMonth: 2,
      rotationUsdPerMonth: 5,
      rotationsUnknown: 1,
      lowerBound: true,
      byAccount: [
        { account: '111122223333', keysDeleted: 1, keysPendingDeletion: 1, usdPerMonth: 3 },
        { account: '444455556666', keysDeleted: 2, keysPendingDeletion: 1, usdPerMonth: 7 },
      ],
    });
  });

  it('is no lower bound when every counted key reported its rotations', () => {
    const b = book(2, { waves: 'rest' });
    b.beginWave(0, 'now');
    for (const k of b.keysOfWave(0)) b.recordStart(k.keyArn, true);
    b.onReport({ keyArn: arn(0), phase: 'PendingDeletion', rotations: 2 });
    b.onReport({ keyArn: arn(1), phase: 'Done', outcome: 'Refused' });
    expect(b.status().savings).toMatchObject({ usdPerMonth: 3, rotationsUnknown: 0, lowerBound: false });
  });

  it('skips a key listed twice', () => {
    const b = CampaignBook.fresh(buildCampaignSettings({ name: 'd', waves: 'rest' }), [arn(1), arn(1), arn(2)]);
    expect(b.status().keys).toBe(2);
  });
});
