import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS } from '../../src/shared/options';
import { actionsOf, policyDenies, readPolicy } from './aws-actions';

const DAY_MS = 86_400_000;
const policy = readPolicy();
const doc = (name: string): string => fs.readFileSync(path.resolve(__dirname, '../../docs', name), 'utf8');

describe('docs/iam-policy.json: the kms:TrailingDaysWithoutKeyUsage guardrail', () => {
  const denies = policyDenies(policy);
  const conditionOn = (action: string): Record<string, unknown> | undefined =>
    denies.find((s) => actionsOf(s).includes(action))?.Condition?.NumericLessThan;

  it('denies DisableKey and ScheduleKeyDeletion on keys used within the default --min-idle', () => {
    const days = String(DEFAULT_OPTIONS.minIdleMs / DAY_MS);
    expect(days).toBe('90');
    for (const action of ['kms:DisableKey', 'kms:ScheduleKeyDeletion']) {
      expect(conditionOn(action), action).toEqual({ 'kms:TrailingDaysWithoutKeyUsage': days });
      const statement = denies.find((s) => actionsOf(s).includes(action));
      expect(statement?.Resource, action).toBe('arn:aws:kms:*:*:key/*');
      // Nothing else narrows the Deny: it applies to every key, whoever the principal.
      expect(Object.keys(statement?.Condition ?? {}), action).toEqual(['NumericLessThan']);
    }
  });

  it('denies nothing else (the actions that put a key back stay allowed)', () => {
    expect(denies.flatMap(actionsOf).sort()).toEqual(['kms:DisableKey', 'kms:ScheduleKeyDeletion']);
  });

  it('is explained, with the one number to keep in step with --min-idle, in reliability.md and operating.md', () => {
    for (const name of ['reliability.md', 'operating.md']) {
      const text = doc(name);
      expect(text, name).toContain('kms:TrailingDaysWithoutKeyUsage');
      expect(text, name).toContain('--min-idle');
      expect(text, name).toMatch(/"kms:TrailingDaysWithoutKeyUsage": "90"/);
    }
  });
});
