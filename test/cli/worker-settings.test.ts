/**
 * `kms-retire worker`'s settings, from flags or KMS_RETIRE_* variables: each parsed and checked
 * once, before anything connects; a bad one exits 2 naming the flag or the variable and what it
 * accepts. The worker itself is a stand-in here: these tests only look at what it is given.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunOptions } from '../../src/worker';
import { runCli } from './helpers/run-cli';

const run = vi.hoisted(() => vi.fn((_options: RunOptions) => Promise.resolve()));
vi.mock('../../src/worker', () => ({ run }));

const UNSET = {
  KMS_RETIRE_WATCH_INTERVAL_MS: undefined,
  KMS_RETIRE_LOOKUP_RPS: undefined,
  KMS_RETIRE_WATCH_MIN_LAG_MS: undefined,
  KMS_RETIRE_WATCH_REPORT_MS: undefined,
  KMS_RETIRE_MAX_DISABLING_PER_ACCOUNT: undefined,
  KMS_RETIRE_DISABLING_LEASE: undefined,
  KMS_RETIRE_ROLE_TEMPLATE: undefined,
  KMS_RETIRE_METRICS_PORT: undefined,
  KMS_RETIRE_CALLBACK_URL: undefined,
  KMS_RETIRE_CALLBACK_SECRET: undefined,
  KMS_RETIRE_JIRA_EMAIL: undefined,
  KMS_RETIRE_JIRA_API_TOKEN: undefined,
  KMS_RETIRE_JIRA_BASE_URL: undefined,
  KMS_RETIRE_SERVICENOW_URL: undefined,
  KMS_RETIRE_SERVICENOW_USER: undefined,
  KMS_RETIRE_SERVICENOW_PASSWORD: undefined,
  KMS_RETIRE_KMS_RATE_SCALE: undefined,
  KMS_RETIRE_KMS_RATES: undefined,
  KMS_RETIRE_EVENTS: undefined,
  KMS_RETIRE_EVENTS_QUEUE: undefined,
  KMS_RETIRE_DEPENDENTS_MAX_AGE: undefined,
  KMS_RETIRE_DEPENDENTS_RETRY_FOR: undefined,
};

describe('kms-retire worker settings', () => {
  afterEach(() => run.mockClear());

  it('takes the watcher and gate settings from the environment', async () => {
    const out = await runCli(['worker'], {
      ...UNSET,
      KMS_RETIRE_WATCH_INTERVAL_MS: '1000',
      KMS_RETIRE_LOOKUP_RPS: '2',
      KMS_RETIRE_WATCH_MIN_LAG_MS: '0',
      KMS_RETIRE_WATCH_REPORT_MS: '60000',
      KMS_RETIRE_MAX_DISABLING_PER_ACCOUNT: '25',
      KMS_RETIRE_DISABLING_LEASE: '5m',
      KMS_RETIRE_ROLE_TEMPLATE: 'arn:aws:iam::{account}:role/kms-retire',
      KMS_RETIRE_METRICS_PORT: '9464',
    });
    expect(out.code).toBe(0);
    expect(run).toHaveBeenCalledOnce();
    expect(run.mock.calls[0]?.[0]).toMatchObject({
      watcher: { pollIntervalMs: 1000, maxRequestsPerSecond: 2, minLagMs: 0, coverageReportIntervalMs: 60_000 },
      disablingGate: { limit: 25, leaseMs: 300_000 },
      roleTemplate: 'arn:aws:iam::{account}:role/kms-retire',
      metricsPort: 9464,
    });
  });

  it('a flag wins over its variable; unset and empty settings leave the defaults to the workflows', async () => {
    const out = await runCli(['worker', '--watch-interval', '2m', '--max-disabling-per-account', '3'], {
      ...UNSET,
      KMS_RETIRE_WATCH_INTERVAL_MS: '1000',
      KMS_RETIRE_MAX_DISABLING_PER_ACCOUNT: '',
    });
    expect(out.code).toBe(0);
    expect(run.mock.calls[0]?.[0]).toMatchObject({
      watcher: { pollIntervalMs: 120_000 },
      disablingGate: { limit: 3 },
      roleTemplate: undefined,
    });
  });

  it('takes the KMS pace from the environment, a flag winning; a fifth of each quota by default', async () => {
    let out = await runCli(['worker', '--kms-rate-scale', '0.5'], {
      ...UNSET,
      KMS_RETIRE_KMS_RATE_SCALE: '0.1',
      KMS_RETIRE_KMS_RATES: 'DisableKey=2,GetKeyLastUsage=1.5',
    });
    expect(out.code).toBe(0);
    expect(run.mock.calls[0]?.[0].kmsPace).toEqual({ scale: 0.5, rates: { DisableKey: 2, GetKeyLastUsage: 1.5 } });
    out = await runCli(['worker'], UNSET);
    expect(out.code).toBe(0);
    expect(run.mock.calls[1]?.[0].kmsPace).toEqual({ scale: 0.2, rates: {} });
  });

  it.each([
    ['KMS_RETIRE_WATCH_INTERVAL_MS', 'soon', /Give a duration of at least 1s/],
    ['KMS_RETIRE_WATCH_INTERVAL_MS', '500', /Give a duration of at least 1s/],
    ['KMS_RETIRE_LOOKUP_RPS', '5', /Give a number above 0 and at most 2/],
    ['KMS_RETIRE_WATCH_MIN_LAG_MS', '-1', /Give a duration of at least 0s/],
    ['KMS_RETIRE_WATCH_REPORT_MS', '1e3', /Give a duration/],
    ['KMS_RETIRE_MAX_DISABLING_PER_ACCOUNT', 'lots', /Give a whole number of at least 1/],
    ['KMS_RETIRE_MAX_DISABLING_PER_ACCOUNT', '2.5', /Give a whole number of at least 1/],
    ['KMS_RETIRE_DISABLING_LEASE', '10ms', /Give a duration of at least 1s/],
    ['KMS_RETIRE_ROLE_TEMPLATE', 'arn:aws:iam::111122223333:role/x', /has no \{account\} placeholder/],
    ['KMS_RETIRE_METRICS_PORT', '70000', /Give a whole number from 0 to 65535/],
    ['KMS_RETIRE_METRICS_PORT', 'http', /Give a whole number from 0 to 65535/],
    ['KMS_RETIRE_KMS_RATE_SCALE', '2', /Give a number above 0 and at most 1/],
    ['KMS_RETIRE_KMS_RATES', 'DisableKeys=2', /"DisableKeys" is not a KMS operation with a published quota/],
    ['KMS_RETIRE_KMS_RATES', 'DisableKey:2', /is not OPERATION=RATE/],
    ['KMS_RETIRE_DEPENDENTS_MAX_AGE', 'soon', /Give a duration of at least 0s/],
    ['KMS_RETIRE_DEPENDENTS_RETRY_FOR', '-1h', /Give a duration of at least 0s/],
  ])('%s=%j exits 2 naming the variable and what it accepts; nothing starts', async (name, value, accepts) => {
    const out = await runCli(['worker'], { ...UNSET, [name]: value });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`value '${value}' from env '${name}' is invalid.`);
    expect(out.stderr).toMatch(accepts);
    expect(run).not.toHaveBeenCalled();
  });

  it('takes the dependents inventory settings from the environment, a flag winning; defaults otherwise', async () => {
    const env = await runCli(['worker'], {
      ...UNSET,
      KMS_RETIRE_DEPENDENTS_MAX_AGE: '2m',
      KMS_RETIRE_DEPENDENTS_RETRY_FOR: '30m',
    });
    expect(env.code).toBe(0);
    expect(run.mock.calls[0]?.[0].dependents).toEqual({ maxAgeMs: 120_000, retryForMs: 1_800_000 });
    const flag = await runCli(['worker', '--dependents-max-age', '30s'], {
      ...UNSET,
      KMS_RETIRE_DEPENDENTS_MAX_AGE: '2m',
    });
    expect(flag.code).toBe(0);
    expect(run.mock.calls[1]?.[0].dependents).toEqual({ maxAgeMs: 30_000 });
    await runCli(['worker'], UNSET);
    expect(run.mock.calls[2]?.[0].dependents).toEqual({});
  });

  it('takes the ticket callback from the environment (a whsec_ secret is base64), never printing the secret', async () => {
    const key = Buffer.from('a callback secret of 32 bytes!!!');
    const out = await runCli(['worker'], {
      ...UNSET,
      KMS_RETIRE_CALLBACK_URL: 'https://tickets.example.com/kms-retire',
      KMS_RETIRE_CALLBACK_SECRET: `whsec_${key.toString('base64')}`,
    });
    expect(out.code).toBe(0);
    expect(run.mock.calls[0]?.[0].ticketCallback).toEqual({
      url: 'https://tickets.example.com/kms-retire',
      secret: key,
    });
  });

  it('takes Jira and ServiceNow credentials from the environment', async () => {
    const out = await runCli(['worker'], {
      ...UNSET,
      KMS_RETIRE_JIRA_EMAIL: 'bot@example.com',
      KMS_RETIRE_JIRA_API_TOKEN: 'tok',
      KMS_RETIRE_SERVICENOW_URL: 'https://example.service-now.com',
      KMS_RETIRE_SERVICENOW_USER: 'kms',
      KMS_RETIRE_SERVICENOW_PASSWORD: 'pw',
    });
    expect(out.code).toBe(0);
    expect(run.mock.calls[0]?.[0]).toMatchObject({
      jira: { email: 'bot@example.com', apiToken: 'tok', baseUrl: undefined },
      servicenow: { url: 'https://example.service-now.com/', user: 'kms', password: 'pw' },
    });
  });

  it.each([
    [{ KMS_RETIRE_JIRA_EMAIL: 'bot@example.com' }, /KMS_RETIRE_JIRA_EMAIL and KMS_RETIRE_JIRA_API_TOKEN go together/],
    [{ KMS_RETIRE_SERVICENOW_USER: 'kms', KMS_RETIRE_SERVICENOW_PASSWORD: 'pw' }, /go together/],
    [{ KMS_RETIRE_CALLBACK_URL: 'https://tickets.example.com/x' }, /go together/],
    [
      { KMS_RETIRE_CALLBACK_URL: 'ftp://x', KMS_RETIRE_CALLBACK_SECRET: 'whsec_aGVsbG8gd29ybGQgaGVsbG8gd29ybGQ=' },
      /KMS_RETIRE_CALLBACK_URL.*http/s,
    ],
    [{ KMS_RETIRE_CALLBACK_URL: 'https://x', KMS_RETIRE_CALLBACK_SECRET: 'whsec_!!' }, /KMS_RETIRE_CALLBACK_SECRET/],
  ])('a bad callback setting %j exits 2 naming it; nothing starts', async (env, message) => {
    const out = await runCli(['worker'], { ...UNSET, ...env });
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(message);
    expect(out.stderr).not.toContain('aGVsbG8');
    expect(run).not.toHaveBeenCalled();
  });

  it.each([
    ['--watch-interval', '0s'],
    ['--lookup-rps', '0'],
    ['--disabling-lease', 'forever'],
    ['--metrics-port', '-1'],
  ])('%s %s exits 2 naming the flag', async (flag, value) => {
    const out = await runCli(['worker', flag, value], UNSET);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(new RegExp(`option '${flag} <[a-z]+>' argument '${value}' is invalid\\. Give `));
    expect(run).not.toHaveBeenCalled();
  });

  it.each([
    [{ KMS_RETIRE_EVENTS: '1' }, [], { queueUrls: undefined }],
    [
      { KMS_RETIRE_EVENTS: 'true', KMS_RETIRE_EVENTS_QUEUE: 'https://sqs.eu-west-1.amazonaws.com/111122223333/q' },
      [],
      { queueUrls: ['https://sqs.eu-west-1.amazonaws.com/111122223333/q'] },
    ],
    [{ KMS_RETIRE_EVENTS: '0' }, [], undefined],
    [{ KMS_RETIRE_EVENTS: '0' }, ['--events'], { queueUrls: undefined }],
    [{}, [], undefined],
  ])('push events from %j and %j: %j', async (env, flags, events) => {
    const out = await runCli(['worker', ...flags], { ...UNSET, ...env });
    expect(out.code).toBe(0);
    expect(run.mock.calls[0]?.[0].events).toEqual(events);
  });

  it('with push on, the watcher sweeps every 15 minutes unless told otherwise', async () => {
    await runCli(['worker', '--events'], UNSET);
    expect(run.mock.calls[0]?.[0].watcher).toEqual({ pollIntervalMs: 900_000 });
    await runCli(['worker', '--events', '--watch-interval', '5m'], UNSET);
    expect(run.mock.calls[1]?.[0].watcher).toEqual({ pollIntervalMs: 300_000 });
  });

  it.each([
    [{ KMS_RETIRE_EVENTS: 'maybe' }, /environment variable KMS_RETIRE_EVENTS: Give 1 or 0/],
    [
      { KMS_RETIRE_EVENTS: '1', KMS_RETIRE_EVENTS_QUEUE: 'kms-retire-events' },
      /from env 'KMS_RETIRE_EVENTS_QUEUE' is invalid\. Give the queue URL/,
    ],
  ])('a bad push setting %j exits 2 naming it', async (env, message) => {
    const out = await runCli(['worker'], { ...UNSET, ...env });
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(message);
    expect(run).not.toHaveBeenCalled();
  });
});
