/**
 * The cost of finding dependents: scan's reverse index (each service listed once per account and
 * Region) against probing each key on its own (each probe lists its whole service again), on an
 * emulator account with 1,000 keys and 5,000 resources seeded through POST /_emulator/resources.
 * Calls come from the emulator's call counter; seconds are real time with pacing out of the way
 * (1,000 requests a second), and the floor the default probe rate puts under them is computed.
 */
import { createDependentsActivities, DEFAULT_PROBE_RATE } from '../activities/dependents';
import { ClientFactory } from '../aws/client-factory';
import { Pacer } from '../aws/pacing/pacer';
import { aliasTargets } from '../activities/dependents';
import { buildDependentsIndex } from '../scan/dependents-index';
import { scanFleet } from '../scan/scanner';
import { PROBES, type ProbeName } from '../shared/dependents';
import { seedAccountResources, servedTypes } from './account-resources';
import { benchEmulator } from './harness';

export interface DiscoveryRow {
  keys: number;
  resources: number;
  /** The resource types seeded (those this emulator serves), evenly. */
  resourceTypes: string[];
  /** Probes that could not answer on this emulator (services it does not serve yet). */
  unknownProbes: ProbeName[];
  scan: DiscoveryCost;
  perKey: DiscoveryCost & { sampledKeys: number };
  /** Per-key probing's calls per key over scan's. */
  fewerCalls: number;
}

export interface DiscoveryCost {
  callsPerKey: number;
  secondsPer1000Keys: number;
  /** At DEFAULT_PROBE_RATE per service, account and Region: the pacing alone, per 1,000 keys. */
  pacedSecondsPer1000Keys: number;
}

const ACCOUNT = '240000000000';
const REGION = 'us-east-1';
const FAST = 1000;

// Probing per key costs the same for every key (each probe lists its whole service), so one key
// measures it (three until issue 23: the same figure, three times the wait); the bench as a whole
// must stay under 10 minutes.
export async function benchDiscovery(keys = 1000, resources = 5000, sampledKeys = 1): Promise<DiscoveryRow> {
  const emu = await benchEmulator({});
  const clients = new ClientFactory({
    endpoint: emu.emulator.url,
    credentials: { accessKeyId: ACCOUNT, secretAccessKey: 'bench' },
  });
  try {
    const keyRefs: string[] = [];
    // Seeded 50 at a time: the admin endpoint answers each on its own.
    for (let i = 0; i < keys; i += 50) {
      const batch = Array.from({ length: Math.min(50, keys - i) }, (_, j) => i + j);
      const seeded = await Promise.all(
        batch.map(async (n) => {
          // Every tenth key has an alias, and its resources name it by that alias; the others by id or ARN.
          const alias = n % 10 === 0 ? `alias/bench-${n}` : undefined;
          const key = await emu.admin.seedKey({
            account: ACCOUNT,
            region: REGION,
            creationDate: '-200d',
            ...(alias ? { aliases: [alias] } : {}),
          });
          return alias ?? (n % 2 === 0 ? key.KeyId : key.Arn);
        }),
      );
      keyRefs.push(...seeded);
    }
    const types = await servedTypes(emu.admin, REGION, keyRefs[0] as string);
    await seedAccountResources(emu.admin, { account: ACCOUNT, region: REGION, keys: keyRefs, count: resources, types });

    // Scan's discovery cost: the calls of a scan with every probe beyond preflight's KMS reads (grants
    // come from preflight's own ListGrants, so they cost scan nothing more).
    emu.emulator.core.calls.reset();
    const report = await scanFleet(
      {
        accounts: [ACCOUNT],
        regions: [REGION],
        kmsRatePerSecond: FAST,
        concurrencyPerScope: 8,
        probes: PROBES,
        probeRatePerSecond: FAST,
      },
      { clients },
    );
    const scanOps = emu.emulator.core.calls.snapshot().byOperation;
    const scanned = report.stats.keys;
    const entries = [...report.candidates, ...report.notCandidates];
    const unknownProbes = entries[0]?.unknownProbes?.map((u) => u.probe) ?? [];
    const scanCalls = Object.entries(scanOps)
      .filter(([op]) => SERVICE_OF[op] !== undefined)
      .reduce((sum, [, n]) => sum + n, 0);
    const busiest = busiestService(scanOps);
    // The time of the index alone (the function scan calls per account and Region): two whole scans
    // differ by more than that from run to run.
    const scope = {
      account: ACCOUNT,
      region: REGION,
      partition: 'aws',
      clients,
      pacer: new Pacer(),
      ratePerSecond: FAST,
    };
    const aliases = await aliasTargets(scope);
    const indexStarted = Date.now();
    await buildDependentsIndex(
      { ...scope, aliases, keyArns: entries.map((e) => e.keyArn) },
      PROBES.filter((p) => p !== 'grants'),
    );
    const indexSeconds = (Date.now() - indexStarted) / 1000;

    // Probing per key: every probe for a sample of keys, one after the other.
    const activities = createDependentsActivities({ clients, probeRatePerSecond: FAST });
    emu.emulator.core.calls.reset();
    const started = Date.now();
    for (const keyArn of entries.slice(0, sampledKeys).map((e) => e.keyArn))
      for (const probe of PROBES) await activities.probeDependents({ keyArn, probe }).catch(() => undefined);
    const perKeySeconds = (Date.now() - started) / 1000 / sampledKeys;
    const perKeyCounts = emu.emulator.core.calls.snapshot();
    const perKeyCalls = perKeyCounts.total / sampledKeys;
    const perKeyBusiest = busiestService(perKeyCounts.byOperation) / sampledKeys;

    const scanCallsPerKey = scanCalls / scanned;
    return {
      keys: scanned,
      resources,
      resourceTypes: types,
      unknownProbes,
      scan: {
        callsPerKey: scanCallsPerKey,
        secondsPer1000Keys: (indexSeconds * 1000) / scanned,
        // Scan lists the services side by side: the busiest one sets the pace.
        pacedSecondsPer1000Keys: ((busiest / DEFAULT_PROBE_RATE) * 1000) / scanned,
      },
      perKey: {
        sampledKeys,
        callsPerKey: perKeyCalls,
        secondsPer1000Keys: perKeySeconds * 1000,
        // One retirement probes its services one after the other; a fleet's keys share each service's rate.
        pacedSecondsPer1000Keys: (perKeyBusiest * 1000) / DEFAULT_PROBE_RATE,
      },
      fewerCalls: perKeyCalls / scanCallsPerKey,
    };
  } finally {
    clients.destroy();
    await emu.stop();
  }
}

// Which service each probe operation belongs to, to find the one the rate holds back most.
const SERVICE_OF: Record<string, string> = {
  ListTables: 'dynamodb',
  DescribeTable: 'dynamodb',
  DescribeVolumes: 'ec2',
  DescribeSnapshots: 'ec2',
  DescribeInstances: 'ec2',
  GetEbsDefaultKmsKeyId: 'ec2',
  DescribeDBInstances: 'rds',
  DescribeDBClusters: 'rds',
  DescribeDBSnapshots: 'rds',
  DescribeDBClusterSnapshots: 'rds',
  ListBuckets: 's3',
  GetBucketEncryption: 's3',
  ListSecrets: 'secretsmanager',
  ListFunctions: 'lambda',
  DescribeLogGroups: 'logs',
  ListTopics: 'sns',
  GetTopicAttributes: 'sns',
  ListQueues: 'sqs',
  GetQueueAttributes: 'sqs',
  ListClusters: 'eks',
  DescribeCluster: 'eks',
};

/** The most calls any one probed service took. */
function busiestService(ops: Record<string, number>): number {
  const perService = new Map<string, number>();
  for (const [op, n] of Object.entries(ops)) {
    const service = SERVICE_OF[op];
    if (service) perService.set(service, (perService.get(service) ?? 0) + n);
  }
  return Math.max(0, ...perService.values());
}
