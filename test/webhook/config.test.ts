/** Secrets, the mapping file and the delivery log: the receiver's configuration and memory. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeliveryLog } from '../../src/webhook/delivery-log';
import { DEFAULT_MAPPING, loadMapping, MappingError, parseMapping } from '../../src/webhook/mapping';
import { loadSecrets, SecretError } from '../../src/webhook/secrets';

const dir = mkdtempSync(path.join(tmpdir(), 'kms-retire-webhook-'));
const file = (name: string, text: string): string => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('secrets', () => {
  it('come from variables, *_FILE variables and explicit files, whsec_ meaning base64 for the generic source', () => {
    const raw = Buffer.from('0123456789abcdef0123456789abcdef');
    const secrets = loadSecrets(
      {
        KMS_RETIRE_WEBHOOK_SECRET: `whsec_${raw.toString('base64')}`,
        KMS_RETIRE_JIRA_SECRET_FILE: file('jira', 'jira-secret-from-a-file-0123\n'),
        KMS_RETIRE_SERVICENOW_SECRET: 'ignored-because-a-file-is-given',
      },
      { servicenow: file('sn', 'servicenow-secret-from-flag-0123') },
    );
    expect(secrets.generic?.equals(raw)).toBe(true);
    expect(secrets.jira?.toString()).toBe('jira-secret-from-a-file-0123');
    expect(secrets.servicenow?.toString()).toBe('servicenow-secret-from-flag-0123');
    expect(loadSecrets({})).toEqual({});
  });

  it('refuse short secrets, bad base64 and unreadable files without echoing the secret', () => {
    expect(() => loadSecrets({ KMS_RETIRE_JIRA_SECRET: 'hunter2' })).toThrow(SecretError);
    expect(() => loadSecrets({ KMS_RETIRE_JIRA_SECRET: 'hunter2' })).not.toThrow(/hunter2/);
    expect(() => loadSecrets({ KMS_RETIRE_WEBHOOK_SECRET: 'whsec_not*base64' })).toThrow(/not base64/);
    expect(() => loadSecrets({ KMS_RETIRE_WEBHOOK_SECRET_FILE: path.join(dir, 'missing') })).toThrow(
      /cannot read the secret file for KMS_RETIRE_WEBHOOK_SECRET .*ENOENT/,
    );
  });
});

describe('the mapping file', () => {
  it('loads the example (YAML) and the same mapping as JSON', () => {
    const example = loadMapping(path.resolve(__dirname, '../../examples/webhook-mapping.yaml'));
    expect(example.jira.keyArnField).toBe('customfield_10050');
    expect(example.jira.statuses.approve).toEqual(['Approved for Deletion']);
    expect(example.servicenow.states.cancel).toEqual(['Canceled', '4']);
    expect(
      loadMapping(file('m.json', JSON.stringify({ jira: { keyArnField: 'customfield_1' } }))).jira.keyArnField,
    ).toBe('customfield_1');
  });

  it('fills defaults for what is left out', () => {
    const m = parseMapping({ jira: { statuses: { retire: ['Go'] } } });
    expect(m.jira.statuses).toEqual({ retire: ['Go'], approve: [], reject: [], cancel: [] });
    expect(m.servicenow).toEqual(DEFAULT_MAPPING.servicenow);
    expect(DEFAULT_MAPPING.jira.keyArnField).toBe('summary');
  });

  it('names what is wrong: unknown keys, wrong types, bad options, unreadable or unparsable files', () => {
    expect(() => parseMapping({ jira: { keyArnFeild: 'x' } })).toThrow(/jira: Unrecognized key.*keyArnFeild/);
    expect(() => parseMapping({ servicenow: { states: { retire: 'Implement' } } })).toThrow(
      /servicenow\.states\.retire/,
    );
    expect(() => parseMapping({ jira: { options: { pendingWindowDays: 45 } } })).toThrow(/jira\.options: .*7 to 30/);
    expect(() => loadMapping(path.join(dir, 'nope.yaml'))).toThrow(MappingError);
    expect(() => loadMapping(file('bad.yaml', 'jira: [unclosed'))).toThrow(/neither YAML nor JSON/);
  });
});

describe('the delivery log', () => {
  it('acts once per id, answers repeats with the first result, and forgets after the TTL', async () => {
    let now = 0;
    const log = new DeliveryLog<number>({ ttlMs: 1000, now: () => now });
    let calls = 0;
    const act = () => Promise.resolve(++calls);
    expect(await log.once('a', act)).toEqual({ result: 1, repeat: false });
    expect(await log.once('a', act)).toEqual({ result: 1, repeat: true });
    now = 1001;
    expect(await log.once('a', act)).toEqual({ result: 2, repeat: false });
  });

  it('shares one in-flight attempt between concurrent copies, and forgets a failed one', async () => {
    const log = new DeliveryLog<string>();
    let calls = 0;
    const slow = () => new Promise<string>((resolve) => setTimeout(() => resolve(`run-${++calls}`), 10));
    const results = await Promise.all([log.once('x', slow), log.once('x', slow), log.once('x', slow)]);
    expect(results.map((r) => r.result)).toEqual(['run-1', 'run-1', 'run-1']);
    expect(results.filter((r) => !r.repeat)).toHaveLength(1);
    await expect(log.once('y', () => Promise.reject(new Error('temporal down')))).rejects.toThrow('temporal down');
    expect(await log.once('y', () => Promise.resolve('retried'))).toEqual({ result: 'retried', repeat: false });
  });

  it('stays bounded: the oldest ids go first', async () => {
    const log = new DeliveryLog<number>({ maxEntries: 3 });
    for (let i = 0; i < 10; i++) await log.once(`id-${i}`, () => Promise.resolve(i));
    expect(log.size).toBe(3);
    expect((await log.once('id-9', () => Promise.resolve(-1))).repeat).toBe(true);
    expect((await log.once('id-0', () => Promise.resolve(-1))).repeat).toBe(false);
  });
});
