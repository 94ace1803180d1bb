/**
 * One table of bad input, fed to every entry point (the pure validators, the CLI, the webhook and
 * the workflow itself), each with the words the refusal must contain.
 */
import type { RetirementOptionsInput } from '../../src/shared/options';

export const GOOD_KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
export const GOOD_ARN = `arn:aws:kms:us-east-1:111122223333:key/${GOOD_KEY_ID}`;

export interface BadKey {
  name: string;
  value: string;
  /** What the refusal says. */
  says: RegExp;
  /** Where the webhook's body schema refuses it first (length limits). */
  webhookSays?: RegExp;
}

export const BAD_KEYS: BadKey[] = [
  { name: 'an alias name', value: 'alias/payments', says: /is an alias; kms-retire needs the key itself/ },
  { name: 'an alias ARN', value: 'arn:aws:kms:us-east-1:111122223333:alias/payments', says: /is an alias/ },
  {
    name: 'a short account',
    value: `arn:aws:kms:us-east-1:1111:key/${GOOD_KEY_ID}`,
    says: /account "1111"; an account id has 12 digits/,
  },
  { name: 'a bad Region', value: `arn:aws:kms:useast1:111122223333:key/${GOOD_KEY_ID}`, says: /Region "useast1"/ },
  { name: 'a bad key id', value: 'arn:aws:kms:us-east-1:111122223333:key/not-a-uuid', says: /key id "not-a-uuid"/ },
  {
    name: 'a look-alike key id (Cyrillic а)',
    value: `arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890\u0430b`,
    says: /names key id/,
  },
  { name: 'another service', value: 'arn:aws:s3:::my-bucket', says: /is not a KMS key ARN/ },
  { name: 'a second line smuggled in', value: `${GOOD_ARN}\nrm -rf /`, says: /is not a KMS key ARN/ },
  {
    name: 'a huge string',
    value: `arn:aws:kms:us-east-1:111122223333:key/${'a'.repeat(5000)}`,
    says: /names key id/,
    webhookSays: /keyArn: Too big/,
  },
];

export interface BadOption {
  name: string;
  options: RetirementOptionsInput;
  /** The same mistake as CLI flags (start's flags). */
  flags: string[];
  says: RegExp;
  /** Where the webhook's body schema refuses it first. */
  webhookSays?: RegExp;
  /** Where the CLI's flag parsing refuses it first. */
  cliSays?: RegExp;
}

export const BAD_OPTIONS: BadOption[] = [
  {
    name: 'a 6-day pending window',
    options: { pendingWindowDays: 6 },
    flags: ['--pending-window-days', '6'],
    says: /--pending-window-days 6 is out of range: AWS KMS accepts a whole number of days from 7 to 30/,
  },
  {
    name: 'a 31-day pending window',
    options: { pendingWindowDays: 31 },
    flags: ['--pending-window-days', '31'],
    says: /--pending-window-days 31 is out of range/,
  },
  {
    name: 'a fractional pending window',
    options: { pendingWindowDays: 7.5 },
    flags: ['--pending-window-days', '7.5'],
    says: /--pending-window-days 7.5 is out of range/,
    cliSays: /--pending-window-days 7.5 must be a whole number of days from 7 to 30/,
  },
  {
    name: 'a soak below a second',
    options: { soak: '0s' },
    flags: ['--soak', '0s'],
    says: /--soak 0s is out of range/,
  },
  {
    name: 'a soak above a year',
    options: { soak: '366d' },
    flags: ['--soak', '366d'],
    says: /--soak 366d is out of range: it must be between 1s and 365d/,
  },
  { name: 'a soak without a unit', options: { soak: '14' }, flags: ['--soak', '14'], says: /--soak "14" has no unit/ },
  { name: 'a negative soak', options: { soak: '-5d' }, flags: ['--soak=-5d'], says: /--soak "-5d" is not a duration/ },
  {
    name: 'a trail lag above a day',
    options: { trailLag: '2d' },
    flags: ['--trail-lag', '2d'],
    says: /--trail-lag 2d is out of range/,
  },
  {
    name: 'a minimum idle time in years',
    options: { minIdle: '3y' },
    flags: ['--min-idle', '3y'],
    says: /--min-idle "3y" is not a duration/,
  },
  {
    name: 'a minimum idle time above ten years',
    options: { minIdle: '3651d' },
    flags: ['--min-idle', '3651d'],
    says: /--min-idle 3651d is out of range/,
  },
  {
    name: 'an unknown approval mode',
    options: { approval: 'maybe' as 'none' },
    flags: ['--approval', 'maybe'],
    says: /approval.*maybe/,
    webhookSays: /options\.approval: Invalid option: expected one of "none"\|"required"/,
  },
  {
    name: 'an unknown dependents mode',
    options: { dependents: 'ignore' as 'warn' },
    flags: ['--dependents', 'ignore'],
    says: /--dependents ignore is not valid: use "refuse" \(the default\) or "warn"/,
    // Webhook-started retirements take the default (refuse): the option is not theirs to give.
    webhookSays: /dependents/,
  },
  {
    name: 'an accepted volume that is not a volume id',
    options: { acceptAttachedVolumes: ['i-0123456789abcdef0'] },
    flags: ['--accept-attached-volume', 'i-0123456789abcdef0'],
    says: /--accept-attached-volume i-0123456789abcdef0 is not an EBS volume id/,
    webhookSays: /acceptAttachedVolumes/,
  },
];
