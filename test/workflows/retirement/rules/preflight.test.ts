import { describe, expect, it } from 'vitest';
import type { KeyDescription, KeyFacts } from '../../../../src/shared/key-facts';
import { decidePreflight, type RefusalCode } from '../../../../src/workflows/retirement/rules/preflight';
import { DEFAULT_OPTIONS, type RetirementOptions } from '../../../../src/shared/options';

const DAY = 86_400_000;
const NOW = Date.parse('2025-06-01T00:00:00Z');
const ago = (days: number): string => new Date(NOW - days * DAY).toISOString();
const ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OWN = 'retire-key/111122223333/us-east-1/1234abcd-12ab-34cd-56ef-1234567890ab';

function facts(key: Partial<KeyDescription> = {}, rest: Partial<Omit<KeyFacts, 'key'>> = {}): KeyFacts {
  return {
    key: {
      arn: ARN,
      keyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
      account: '111122223333',
      region: 'us-east-1',
      keyState: 'Enabled',
      keyManager: 'CUSTOMER',
      origin: 'AWS_KMS',
      creationDate: ago(400),
      multiRegion: false,
      replicaArns: [],
      ...key,
    },
    lastUsage: { lastUsedAt: ago(200), operation: 'Decrypt', trackingStartDate: ago(500), keyCreationDate: ago(400) },
    aliases: [],
    tags: [],
    grants: [],
    ...rest,
  };
}

interface Row {
  name: string;
  facts: KeyFacts;
  options?: Partial<RetirementOptions>;
  refusals: RefusalCode[];
}

const rows: Row[] = [
  { name: 'an idle customer key', facts: facts(), refusals: [] },
  { name: 'an already disabled idle key', facts: facts({ keyState: 'Disabled' }), refusals: [] },
  { name: 'an AWS-managed key', facts: facts({ keyManager: 'AWS' }), refusals: ['AwsManaged'] },
  {
    name: 'a key pending deletion',
    facts: facts({ keyState: 'PendingDeletion', deletionDate: ago(-5) }),
    refusals: ['PendingDeletion'],
  },
  {
    name: 'a replica pending deletion',
    facts: facts({ keyState: 'PendingReplicaDeletion' }),
    refusals: ['PendingDeletion'],
  },
  {
    name: 'a key pending import',
    facts: facts({ keyState: 'PendingImport', origin: 'EXTERNAL' }),
    options: { allowExternalMaterial: true },
    refusals: ['UnusableState'],
  },
  {
    name: 'a multi-Region primary with replicas',
    facts: facts({
      multiRegion: true,
      multiRegionKeyType: 'PRIMARY',
      replicaArns: ['arn:aws:kms:eu-west-1:111122223333:key/mrk-1'],
    }),
    refusals: ['PrimaryWithReplicas'],
  },
  {
    name: 'a multi-Region primary without replicas',
    facts: facts({ multiRegion: true, multiRegionKeyType: 'PRIMARY' }),
    refusals: [],
  },
  {
    name: 'a multi-Region replica',
    facts: facts({
      multiRegion: true,
      multiRegionKeyType: 'REPLICA',
      primaryArn: 'arn:aws:kms:us-west-2:111122223333:key/mrk-1',
    }),
    refusals: [],
  },
  {
    name: 'a key used 10 days ago',
    facts: facts({}, { lastUsage: { lastUsedAt: ago(10), operation: 'Encrypt', trackingStartDate: ago(500) } }),
    refusals: ['RecentlyUsed'],
  },
  {
    name: 'a key used 200 days ago but created 30 days ago (idle from the later)',
    facts: facts(
      { creationDate: ago(30) },
      { lastUsage: { lastUsedAt: ago(200), trackingStartDate: ago(500), keyCreationDate: ago(30) } },
    ),
    refusals: ['RecentlyUsed'],
  },
  {
    name: 'case 2: never used, created 100 days ago',
    facts: facts({ creationDate: ago(100) }, { lastUsage: { trackingStartDate: ago(500), keyCreationDate: ago(100) } }),
    refusals: [],
  },
  {
    name: 'case 2: never used, created 20 days ago',
    facts: facts({ creationDate: ago(20) }, { lastUsage: { trackingStartDate: ago(500), keyCreationDate: ago(20) } }),
    refusals: ['RecentlyUsed'],
  },
  {
    name: 'case 3: unused since tracking began 120 days ago (proven enough)',
    facts: facts({}, { lastUsage: { trackingStartDate: ago(120), keyCreationDate: ago(400) } }),
    refusals: [],
  },
  {
    name: 'case 3: unused since tracking began 30 days ago, unknown before',
    facts: facts({}, { lastUsage: { trackingStartDate: ago(30), keyCreationDate: ago(400) } }),
    refusals: ['UnknownBeforeTracking'],
  },
  {
    name: 'case 3 with the override',
    facts: facts({}, { lastUsage: { trackingStartDate: ago(30), keyCreationDate: ago(400) } }),
    options: { acceptUnknownBeforeTracking: true },
    refusals: [],
  },
  {
    name: 'a protected key',
    facts: facts({}, { tags: [{ key: 'kms-retire:protect', value: 'yes' }] }),
    refusals: ['Protected'],
  },
  { name: 'imported key material', facts: facts({ origin: 'EXTERNAL' }), refusals: ['ExternalMaterial'] },
  {
    name: 'a custom key store',
    facts: facts({ origin: 'AWS_CLOUDHSM', customKeyStoreId: 'cks-1234567890abcdef0' }),
    refusals: ['ExternalMaterial'],
  },
  {
    name: 'imported material with the override',
    facts: facts({ origin: 'EXTERNAL' }),
    options: { allowExternalMaterial: true },
    refusals: [],
  },
  {
    name: 'a key under another retirement',
    facts: facts({}, { tags: [{ key: 'kms-retire:workflow-id', value: 'retire-key/other' }] }),
    refusals: ['UnderAnotherRetirement'],
  },
  {
    name: 'a key tagged by this very retirement (a retried run)',
    facts: facts({}, { tags: [{ key: 'kms-retire:workflow-id', value: OWN }] }),
    refusals: [],
  },
  {
    name: 'an AWS-managed key used yesterday gives both reasons',
    facts: facts({ keyManager: 'AWS' }, { lastUsage: { lastUsedAt: ago(1), trackingStartDate: ago(500) } }),
    refusals: ['AwsManaged', 'RecentlyUsed'],
  },
];

describe('decidePreflight', () => {
  it.each(rows)('$name → refusals $refusals', ({ facts: f, options, refusals }) => {
    const decision = decidePreflight(f, { ...DEFAULT_OPTIONS, ...options }, NOW, OWN);
    expect(decision.refusals.map((r) => r.code)).toEqual(refusals);
    expect(decision.eligible).toBe(refusals.length === 0);
    for (const r of decision.refusals) expect(r.reason.length).toBeGreaterThan(20);
  });

  it('names the idle time proven and the required idle time in a RecentlyUsed refusal', () => {
    const d = decidePreflight(
      facts({}, { lastUsage: { lastUsedAt: ago(10), operation: 'Encrypt', trackingStartDate: ago(500) } }),
      DEFAULT_OPTIONS,
      NOW,
      OWN,
    );
    expect(d.refusals[0]?.reason).toMatch(/last used .* by Encrypt: idle for 9d23h, less than the required 90d/);
  });

  it('records overrides and multi-Region notes in the evidence', () => {
    const d = decidePreflight(
      facts(
        { origin: 'EXTERNAL', multiRegion: true, multiRegionKeyType: 'REPLICA' },
        { lastUsage: { trackingStartDate: ago(30), keyCreationDate: ago(400) }, aliases: ['alias/app'] },
      ),
      { ...DEFAULT_OPTIONS, allowExternalMaterial: true, acceptUnknownBeforeTracking: true },
      NOW,
      OWN,
    );
    expect(d.eligible).toBe(true);
    expect(d.evidence.overridesUsed).toEqual(['acceptUnknownBeforeTracking', 'allowExternalMaterial']);
    expect(d.evidence.notes.join(' ')).toMatch(/multi-Region/);
    expect(d.evidence.aliases).toEqual(['alias/app']);
    expect(d.evidence.lastUsage.case).toBe('unknown-before-tracking');
  });

  it('carries the rotation count into the evidence; an unknown one is eligible, with a note', () => {
    const counted = decidePreflight(facts({ rotations: { count: 2 } }), DEFAULT_OPTIONS, NOW, OWN);
    expect(counted.evidence.rotations).toEqual({ count: 2 });
    expect(counted.evidence.notes.join(' ')).not.toMatch(/rotations/);
    const denied = decidePreflight(
      facts({ rotations: { reason: 'ListKeyRotations was denied (AccessDeniedException)' } }),
      DEFAULT_OPTIONS,
      NOW,
      OWN,
    );
    expect(denied.eligible).toBe(true);
    expect(denied.evidence.rotations?.count).toBeUndefined();
    expect(denied.evidence.notes).toContain(
      "rotations unknown (ListKeyRotations was denied (AccessDeniedException)): a campaign's savings count the key without rotation charges, a lower bound.",
    );
  });

  it('honours a shorter minimum idle time', () => {
    const f = facts({}, { lastUsage: { lastUsedAt: ago(10), trackingStartDate: ago(500) } });
    expect(decidePreflight(f, { ...DEFAULT_OPTIONS, minIdleMs: 7 * DAY }, NOW, OWN).eligible).toBe(true);
  });
});
