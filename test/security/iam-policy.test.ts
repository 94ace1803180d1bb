import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionsCalledByCode, actionsOf, policyActions, readPolicy } from './aws-actions';

const policy = readPolicy();
const unique = (xs: string[]): string[] => [...new Set(xs)].sort();

describe('docs/iam-policy.json: exactly the actions kms-retire calls', () => {
  it('grants every action the code calls, and none it never calls', () => {
    const called = unique(actionsCalledByCode().map((u) => u.action));
    const granted = unique(policyActions(policy));
    const missing = called.filter((a) => !granted.includes(a));
    const unused = granted.filter((a) => !called.includes(a));
    expect({ missing, unused }).toEqual({ missing: [], unused: [] });
    // The irreversible steps are among them: a refactor that loses one would show here too.
    expect(called).toEqual(
      expect.arrayContaining([
        'kms:DisableKey',
        'kms:ScheduleKeyDeletion',
        'kms:CancelKeyDeletion',
        'kms:EnableKey',
        'cloudtrail:LookupEvents',
      ]),
    );
  });

  it('lists each action once, Allow statements and Deny guardrails on granted actions, with a Sid and a resource', () => {
    const all = policyActions(policy);
    expect(all.length).toBe(new Set(all).size);
    expect(policy.Version).toBe('2012-10-17');
    for (const s of policy.Statement) {
      expect(['Allow', 'Deny']).toContain(s.Effect);
      // A Deny only narrows what the policy grants (iam-guardrail.test.ts checks the one there is).
      if (s.Effect === 'Deny') for (const a of actionsOf(s)) expect(all).toContain(a);
      expect(s.Sid).toMatch(/^[A-Za-z0-9]+$/);
      expect(s.Resource).toBeTruthy();
      expect(JSON.stringify(s.Action)).not.toContain('*');
    }
  });

  it('keeps the irreversible actions off keys tagged kms-retire:protect (defence in depth beside preflight)', () => {
    for (const action of [
      'kms:DisableKey',
      'kms:EnableKey',
      'kms:ScheduleKeyDeletion',
      'kms:CancelKeyDeletion',
      'kms:TagResource',
      'kms:UntagResource',
    ]) {
      const statement = policy.Statement.find((s) => (s.Action as string[]).includes(action));
      expect(statement?.Condition?.Null?.['aws:ResourceTag/kms-retire:protect'], action).toBe('true');
      expect(statement?.Resource, action).toBe('arn:aws:kms:*:*:key/*');
    }
    const schedule = policy.Statement.find((s) => (s.Action as string[]).includes('kms:ScheduleKeyDeletion'));
    expect(schedule?.Condition?.NumericGreaterThanEquals?.['kms:ScheduleKeyDeletionPendingWindowInDays']).toBe('7');
  });

  it('is explained action by action in docs/reliability.md', () => {
    const doc = fs.readFileSync(path.resolve(__dirname, '../../docs/reliability.md'), 'utf8');
    for (const action of policyActions(policy)) expect(doc, action).toContain(`\`${action}\``);
  });

  it('the derivation itself notices a new call (so the first test can fail)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-derive-'));
    fs.writeFileSync(
      path.join(dir, 'x.ts'),
      "import { CreateGrantCommand as Grant, type KMSClient } from '@aws-sdk/client-kms';\nexport const f = (k: KMSClient) => k.send(new Grant({ KeyId: 'k', GranteePrincipal: 'p', Operations: [] }));\n",
    );
    fs.mkdirSync(path.join(dir, 'emulator'));
    fs.writeFileSync(
      path.join(dir, 'emulator', 'y.ts'),
      "import { DeleteAliasCommand } from '@aws-sdk/client-kms';\nnew DeleteAliasCommand({});\n",
    );
    expect(actionsCalledByCode(dir).map((u) => u.action)).toEqual(['kms:CreateGrant']);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
