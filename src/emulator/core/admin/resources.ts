/**
 * `POST /_emulator/resources`: makes the emulated services' resources without their own API calls,
 * through the same record builders the create calls use, so a scenario can be set up in one call:
 *
 *   {"resources": [{"type": "ec2:volume", "key": "alias/app", "instanceId": "i-0abc…"},
 *                  {"type": "dynamodb:table", "name": "orders", "key": "<key ARN>"}]}
 *
 * Each seed: `type` (RESOURCE_TYPES), `account`/`region` (default: the emulator's), `name` (or
 * generated id), `key` (id, alias or ARN: stored as the service reports it, a key ARN where the
 * service resolves keys, and as given when the key does not exist here), `created` (ISO, epoch ms or
 * "-30d"), and the type's extras (ResourceSeed, seed-types.ts).
 */
import { AwsError } from '../errors';
import { seedTime } from './seed-key';
import type { ResourceRecord } from '../state';
import { RESOURCE_TYPES } from '../state';
import type { Store } from '../store';
import { keyArnOrAsGiven } from '../../services/kms/find-key';
import type { ResourceSeed } from './seed-types';
import { seeders } from './seeders';

const invalid = (message: string): AwsError => new AwsError('ValidationException', message);

/**
 * Seeds the given resources, stored once all are made (an instance a seeded volume names is made as
 * it is seeded); returns their records.
 */
export function seedResources(
  store: Store,
  body: Record<string, unknown>,
  now: number,
  defaults: { account: string; region: string },
): ResourceRecord[] {
  const list = Array.isArray(body.resources) ? (body.resources as unknown[]) : [body];
  const made = list.map((entry, i) => {
    const seed = entry as ResourceSeed;
    if (!seed || typeof seed !== 'object' || !RESOURCE_TYPES.includes(seed.type))
      throw invalid(`resources[${i}]: "type" must be one of ${RESOURCE_TYPES.join(', ')}.`);
    const seeder = seeders[seed.type];
    if (!seeder) throw invalid(`resources[${i}]: ${seed.type} cannot be seeded yet.`);
    const account = seed.account ?? defaults.account;
    const region = seed.region ?? defaults.region;
    if (!/^\d{12}$/.test(account)) throw invalid(`resources[${i}]: "account" must be a 12-digit account id.`);
    if (seed.key !== undefined && typeof seed.key !== 'string')
      throw invalid(`resources[${i}]: "key" must be a string.`);
    const created = seedTime(seed.created, now, 'created') ?? now;
    const keyArn = seed.key ? keyArnOrAsGiven(store, account, region, seed.key) : undefined;
    return seeder(seed, { store, account, region, now, created, ...(keyArn ? { keyArn } : {}) });
  });
  for (const record of made) store.putResource(record);
  return made;
}

/** A record as the admin API shows it: times in ISO-8601, extras flattened beside the common fields. */
export function resourceView(r: ResourceRecord): Record<string, unknown> {
  return {
    ...r.extras,
    type: r.type,
    account: r.account,
    region: r.region,
    id: r.id,
    arn: r.arn,
    key: r.key,
    created: new Date(r.created).toISOString(),
  };
}
