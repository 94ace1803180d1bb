import { describe, expect, it } from 'vitest';
import type { RetirementStatus } from '../../../src/workflows/retirement/messages';
import { renderDetails } from '../../../src/workflows/retirement/details';

const status: RetirementStatus = {
  keyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  phase: 'Soaking',
  disabledAt: '2026-01-01T00:00:00.000Z',
  soakEndsAt: '2026-01-15T00:00:00.000Z',
  usageEvents: [
    {
      eventId: 'e1',
      eventTime: '2026-01-02T00:00:00.000Z',
      eventName: 'Decrypt',
      errorCode: 'DisabledException',
      principalArn: 'arn:aws:iam::111122223333:user/app',
    },
  ],
  timeline: [],
  evidence: {
    keyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    keyState: 'Enabled',
    origin: 'AWS_KMS',
    keyManager: 'CUSTOMER',
    multiRegion: false,
    aliases: [],
    grantCount: 0,
    notes: ['a note'],
    overridesUsed: [],
    lastUsage: { case: 'never-used', summary: 'never used since 2025' },
  } as unknown as RetirementStatus['evidence'],
};

describe('renderDetails (Web UI markdown)', () => {
  it('puts a blank line between each bold heading and its list, so markdown renders the list', () => {
    const lines = renderDetails(status).split('\n');
    for (const heading of ['**Deadlines**', '**Preflight evidence**', '**Usage seen (1)**']) {
      const at = lines.indexOf(heading);
      expect(at, heading).toBeGreaterThan(0);
      expect(lines[at - 1], `before ${heading}`).toBe('');
      expect(lines[at + 1], `after ${heading}`).toBe('');
      expect(lines[at + 2], `first item of ${heading}`).toMatch(/^- /);
    }
    // Every list item follows a blank line or another item: no item glued to a paragraph.
    lines.forEach((line, i) => {
      if (line.startsWith('- ')) expect(lines[i - 1] === '' || lines[i - 1]?.startsWith('- '), line).toBe(true);
    });
  });
});

describe('renderDetails: the dependents', () => {
  it('lists each dependent as type + ARN, the unknown probes, the watched table and the refusals', () => {
    const table = 'arn:aws:dynamodb:us-east-1:111122223333:table/orders';
    const md = renderDetails({
      ...status,
      dependents: {
        mode: 'warn',
        acceptedVolumes: [],
        evidence: {
          checkedAt: '2026-01-01T00:00:00.000Z',
          outcomes: [
            {
              probe: 'dynamodb',
              answer: 'answered',
              dependents: [{ type: 'dynamodb:table', arn: table, probe: 'dynamodb', status: 'ACTIVE' }],
            },
            { probe: 's3', answer: 'unknown', dependents: [], reason: 'ProbeDenied: explicit deny' },
          ],
        },
        warnings: [],
        refusals: ['a refusal'],
        tables: [table],
        tableStatus: { [table]: 'ACTIVE' },
        unusableUntil: '2026-01-07T00:00:00.000Z',
      },
    });
    const lines = md.split('\n');
    const heading = lines.findIndex((l) => l.startsWith('**Dependents**'));
    expect(lines[heading]).toBe('**Dependents** (`--dependents warn`): 1 found, 1 probe(s) unknown');
    expect(lines[heading + 1]).toBe('');
    expect(md).toContain(`- \`dynamodb:table ${table} (ACTIVE)\``);
    expect(md).toContain('- unknown: s3 probe unknown: ProbeDenied: explicit deny');
    expect(md).toContain(`- table \`${table}\` last seen ACTIVE`);
    expect(md).toContain('- enabled again by 2026-01-07T00:00:00.000Z at the latest');
    expect(md).toContain('- refused: a refusal');
  });

  it('says what a retirement waits on, and which listings its dependents checks used', () => {
    const md = renderDetails({
      ...status,
      phase: 'Scheduling',
      waitingOn: "checking dependents (before deletion): waiting on the account's listings",
      dependents: {
        mode: 'refuse',
        acceptedVolumes: [],
        evidence: {
          checkedAt: '2026-01-01T00:00:00.000Z',
          outcomes: [{ probe: 's3', answer: 'answered', dependents: [], listedAt: '2025-12-31T23:55:00.000Z' }],
        },
        recheck: {
          checkedAt: '2026-01-15T00:00:00.000Z',
          outcomes: [{ probe: 's3', answer: 'answered', dependents: [], listedAt: '2026-01-15T00:00:01.000Z' }],
        },
        warnings: [],
        refusals: [],
        tables: [],
        tableStatus: {},
      },
    });
    expect(md).toContain("**Now** checking dependents (before deletion): waiting on the account's listings");
    expect(md).toContain('- preflight used listings begun at 2025-12-31T23:55:00.000Z or later');
    expect(md).toContain(
      '- re-checked before deletion at 2026-01-15T00:00:00.000Z (listings begun at 2026-01-15T00:00:01.000Z or later)',
    );
  });
});

describe('renderDetails: consumers outside the account', () => {
  it('lists each principal of another account with how it may use the key, as a warning', () => {
    const md = renderDetails({
      ...status,
      evidence: {
        ...status.evidence!,
        consumers: [
          {
            account: '444455556666',
            principal: 'arn:aws:iam::444455556666:role/reports',
            via: 'key policy',
            source: 'partner',
          },
          { account: '777788889999', principal: 'arn:aws:iam::777788889999:role/app', via: 'grant', source: 'g1' },
        ],
      },
    });
    const lines = md.split('\n');
    const at = lines.indexOf('**Consumers outside the account (2, a warning)**');
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 2, at + 4)).toEqual([
      '- 444455556666: arn:aws:iam::444455556666:role/reports (key policy partner)',
      '- 777788889999: arn:aws:iam::777788889999:role/app (grant g1)',
    ]);
  });
});
