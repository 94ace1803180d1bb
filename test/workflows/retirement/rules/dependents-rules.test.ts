import { describe, expect, it } from 'vitest';
import type { Dependent, DependentsEvidence, DependentsMode, ProbeOutcome } from '../../../../src/shared/dependents';
import {
  cappedSoakMs,
  decideBeforeDeletion,
  decideDependents,
  DYNAMODB_UNUSABLE_CAP_MS,
  hasDependentsText,
} from '../../../../src/workflows/retirement/rules/dependents-rules';

const DAY = 86_400_000;
const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const TABLE: Dependent = {
  type: 'dynamodb:table',
  arn: 'arn:aws:dynamodb:us-east-1:111122223333:table/orders',
  probe: 'dynamodb',
  status: 'ACTIVE',
};
const ATTACHED: Dependent = {
  type: 'ec2:volume',
  arn: 'arn:aws:ec2:us-east-1:111122223333:volume/vol-0aaaaaaaaaaaaaaaa',
  probe: 'ebs',
  attachedTo: { instanceId: 'i-0123', instanceState: 'running' },
};
const LOOSE_VOLUME: Dependent = {
  type: 'ec2:volume',
  arn: 'arn:aws:ec2:us-east-1:111122223333:volume/vol-0bbbbbbbbbbbbbbbb',
  probe: 'ebs',
};
const SECRET: Dependent = {
  type: 'secretsmanager:secret',
  arn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf',
  probe: 'secretsmanager',
};
const GRANT: Dependent = { type: 'kms:grant', arn: `${KEY}/grant/g1`, probe: 'grants', grantee: 'rds.amazonaws.com' };

const answered = (probe: ProbeOutcome['probe'], ...dependents: Dependent[]): ProbeOutcome => ({
  probe,
  answer: 'answered',
  dependents,
});
const unknown = (probe: ProbeOutcome['probe'], reason = 'AccessDenied: not authorized'): ProbeOutcome => ({
  probe,
  answer: 'unknown',
  dependents: [],
  reason,
});
const evidence = (...outcomes: ProbeOutcome[]): DependentsEvidence => ({ checkedAt: '2026-01-01T00:00:00Z', outcomes });
const choice = (mode: DependentsMode, ...acceptedVolumes: string[]) => ({ mode, acceptedVolumes });

describe('decideDependents (preflight)', () => {
  it.each<[string, DependentsEvidence, DependentsMode, string[], boolean, RegExp[]]>([
    ['nothing names the key', evidence(answered('dynamodb'), answered('ebs')), 'refuse', [], true, []],
    [
      'a secret, refuse',
      evidence(answered('secretsmanager', SECRET)),
      'refuse',
      [],
      false,
      [/secretsmanager:secret arn:aws:secretsmanager/],
    ],
    ['a secret, warn', evidence(answered('secretsmanager', SECRET)), 'warn', [], true, []],
    [
      'a grant, refuse',
      evidence(answered('grants', GRANT)),
      'refuse',
      [],
      false,
      [/kms:grant .*grant\/g1 \(grantee rds.amazonaws.com\)/],
    ],
    ['a table, refuse', evidence(answered('dynamodb', TABLE)), 'refuse', [], false, [/dynamodb:table .*table\/orders/]],
    ['a table, warn (capped soak instead)', evidence(answered('dynamodb', TABLE)), 'warn', [], true, []],
    [
      'an attached volume, refuse',
      evidence(answered('ebs', ATTACHED)),
      'refuse',
      [],
      false,
      [/vol-0aaaaaaaaaaaaaaaa \(attached to i-0123, running\): .*attached again/],
    ],
    ['an attached volume, warn', evidence(answered('ebs', ATTACHED)), 'warn', [], false, [/GetKeyLastUsage guide/]],
    [
      'an attached volume named, warn',
      evidence(answered('ebs', ATTACHED)),
      'warn',
      ['vol-0aaaaaaaaaaaaaaaa'],
      true,
      [],
    ],
    [
      'an attached volume named, refuse',
      evidence(answered('ebs', ATTACHED)),
      'refuse',
      ['vol-0aaaaaaaaaaaaaaaa'],
      true,
      [],
    ],
    [
      'another volume named',
      evidence(answered('ebs', ATTACHED)),
      'warn',
      ['vol-0bbbbbbbbbbbbbbbb'],
      false,
      [/vol-0aaaaaaaaaaaaaaaa/],
    ],
    ['a loose volume, warn', evidence(answered('ebs', LOOSE_VOLUME)), 'warn', [], true, []],
    [
      'a loose volume, refuse',
      evidence(answered('ebs', LOOSE_VOLUME)),
      'refuse',
      [],
      false,
      [/ec2:volume .*vol-0bbbbbbbbbbbbbbbb$/],
    ],
    ['an unknown probe, refuse', evidence(unknown('s3')), 'refuse', [], false, [/s3 probe unknown: AccessDenied/]],
    ['an unknown probe, warn', evidence(unknown('s3')), 'warn', [], true, []],
    ['an unknown ebs probe, warn', evidence(unknown('ebs')), 'warn', [], false, [/could hide an attached EBS volume/]],
    [
      'an unknown dynamodb probe, warn',
      evidence(unknown('dynamodb')),
      'warn',
      [],
      false,
      [/could hide a DynamoDB table/],
    ],
    [
      'everything at once, refuse',
      evidence(answered('dynamodb', TABLE), answered('ebs', ATTACHED, LOOSE_VOLUME), unknown('rds')),
      'refuse',
      [],
      false,
      [/table\/orders/, /vol-0aaaaaaaaaaaaaaaa/, /vol-0bbbbbbbbbbbbbbbb/, /rds probe unknown/],
    ],
  ])('%s', (_name, ev, mode, accepted, proceed, reasons) => {
    const d = decideDependents(ev, choice(mode, ...accepted));
    expect(d.proceed).toBe(proceed);
    expect(d.refusals).toHaveLength(reasons.length);
    reasons.forEach((r, i) => expect(d.refusals[i]).toMatch(r));
  });

  it('keeps what warn lets through as warnings, and the tables to watch', () => {
    const d = decideDependents(
      evidence(
        answered('dynamodb', TABLE),
        answered('secretsmanager', SECRET),
        unknown('sqs'),
        answered('ebs', ATTACHED),
      ),
      choice('warn', 'vol-0aaaaaaaaaaaaaaaa'),
    );
    expect(d.proceed).toBe(true);
    expect(d.tables).toEqual([TABLE.arn]);
    expect(d.warnings).toEqual([
      `dynamodb:table ${TABLE.arn} (ACTIVE)`,
      `secretsmanager:secret ${SECRET.arn}`,
      `ec2:volume ${ATTACHED.arn} (attached to i-0123, running): accepted by name`,
      'sqs probe unknown: AccessDenied: not authorized',
    ]);
  });

  it('words the refusal with each dependent as type + ARN', () => {
    const text = hasDependentsText(decideDependents(evidence(answered('dynamodb', TABLE)), choice('refuse')));
    expect(text).toBe(`the key still has dependents: dynamodb:table ${TABLE.arn} (ACTIVE).`);
  });
});

describe('decideBeforeDeletion (the re-check)', () => {
  const clean = evidence(answered('dynamodb'), answered('ebs'), answered('secretsmanager'));
  it.each<[string, DependentsEvidence, DependentsEvidence, DependentsMode, boolean, RegExp[]]>([
    ['still nothing', clean, clean, 'refuse', true, []],
    [
      'a secret appeared, refuse',
      clean,
      evidence(answered('secretsmanager', SECRET)),
      'refuse',
      false,
      [/appeared since preflight/],
    ],
    [
      'a secret appeared, warn',
      clean,
      evidence(answered('secretsmanager', SECRET)),
      'warn',
      false,
      [/appeared since preflight/],
    ],
    [
      'the same secret as in preflight, warn',
      evidence(answered('secretsmanager', SECRET)),
      evidence(answered('secretsmanager', SECRET)),
      'warn',
      true,
      [],
    ],
    [
      'a table still names the key, warn',
      evidence(answered('dynamodb', TABLE)),
      evidence(answered('dynamodb', TABLE)),
      'warn',
      false,
      [/still names the key.*pending deletion/],
    ],
    ['the table is gone, warn', evidence(answered('dynamodb', TABLE)), clean, 'warn', true, []],
    [
      'a probe now unknown, warn',
      clean,
      evidence(unknown('sqs')),
      'warn',
      false,
      [/sqs probe unknown.*answered in preflight/],
    ],
    ['a probe unknown both times, warn', evidence(unknown('sqs')), evidence(unknown('sqs')), 'warn', true, []],
    [
      'an attached volume named in preflight, still there',
      evidence(answered('ebs', ATTACHED)),
      evidence(answered('ebs', ATTACHED)),
      'warn',
      true,
      [],
    ],
  ])('%s', (_name, before, now, mode, proceed, reasons) => {
    const accepted = before.outcomes.some((o) => o.dependents.includes(ATTACHED)) ? ['vol-0aaaaaaaaaaaaaaaa'] : [];
    const d = decideBeforeDeletion(before, now, choice(mode, ...accepted));
    expect(d.proceed).toBe(proceed);
    expect(d.refusals).toHaveLength(reasons.length);
    reasons.forEach((r, i) => expect(d.refusals[i]).toMatch(r));
  });
});

describe('cappedSoakMs', () => {
  it.each([
    [14 * DAY, 15 * 60_000, [TABLE.arn], DYNAMODB_UNUSABLE_CAP_MS - 15 * 60_000],
    [14 * DAY, DAY, [TABLE.arn], 5 * DAY],
    [3 * DAY, 15 * 60_000, [TABLE.arn], 3 * DAY],
    [14 * DAY, 15 * 60_000, [], 14 * DAY],
  ])('soak %d, lag %d, tables %j → %d', (soak, lag, tables, expected) => {
    expect(cappedSoakMs(soak, lag, tables)).toBe(expected);
    if (tables.length) expect(cappedSoakMs(soak, lag, tables) + lag).toBeLessThanOrEqual(DYNAMODB_UNUSABLE_CAP_MS);
  });
});
