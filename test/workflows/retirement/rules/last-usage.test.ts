import { describe, expect, it } from 'vitest';
import { LAST_USAGE_LAG_MS, readLastUsage } from '../../../../src/workflows/retirement/rules/last-usage';

const DAY = 86_400_000;
const NOW = Date.parse('2025-06-01T00:00:00Z');
const ago = (days: number): string => new Date(NOW - days * DAY).toISOString();

describe('readLastUsage: the three cases of GetKeyLastUsage', () => {
  it.each([
    {
      name: 'used: idle since the last use',
      report: { lastUsedAt: ago(100), operation: 'Decrypt', trackingStartDate: ago(500), keyCreationDate: ago(400) },
      created: ago(400),
      case: 'used',
      since: ago(100),
    },
    {
      name: 'used before creation (a re-created id): idle since creation',
      report: { lastUsedAt: ago(100), trackingStartDate: ago(500), keyCreationDate: ago(50) },
      created: ago(50),
      case: 'used',
      since: ago(50),
    },
    {
      name: 'never used since creation',
      report: { trackingStartDate: ago(500), keyCreationDate: ago(60) },
      created: ago(60),
      case: 'never-used',
      since: ago(60),
    },
    {
      name: 'created exactly when tracking began: never used',
      report: { trackingStartDate: ago(60), keyCreationDate: ago(60) },
      created: ago(60),
      case: 'never-used',
      since: ago(60),
    },
    {
      name: 'unknown before tracking',
      report: { trackingStartDate: ago(30), keyCreationDate: ago(400) },
      created: ago(400),
      case: 'unknown-before-tracking',
      since: ago(30),
    },
    {
      name: 'creation date from DescribeKey when GetKeyLastUsage omits it',
      report: { trackingStartDate: ago(30) },
      created: ago(400),
      case: 'unknown-before-tracking',
      since: ago(30),
    },
  ])('$name', ({ report, created, case: expectedCase, since }) => {
    const reading = readLastUsage(report, created, NOW);
    expect(reading.case).toBe(expectedCase);
    expect(reading.idleSince).toBe(since);
    expect(reading.provenIdleMs).toBe(NOW - Date.parse(since) - LAST_USAGE_LAG_MS);
  });

  it('never proves a negative idle time (a use within the reporting lag)', () => {
    expect(readLastUsage({ lastUsedAt: new Date(NOW - 60_000).toISOString() }, ago(400), NOW).provenIdleMs).toBe(0);
  });
});
