/**
 * Scan: every customer-managed key in the given accounts and Regions, judged by the same pure
 * preflight rules a retirement runs (decidePreflight), read through the same KMS activities.
 */
import { ListAliasesCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import type { AwsClients } from '../aws/client-factory';
import { kmsPages } from '../aws/paging';
import { createKmsActivities } from '../activities/retirement/kms';
import { createRollbackProofActivities } from '../activities/retirement/rollback-proof';
import { createStackOwnerActivities } from '../activities/retirement/stack-owner';
import { checkBeforeTouching } from '../activities/retirement/before-touching';
import { Pacer } from '../aws/pacing/pacer';
import { parseKeyArn } from '../shared/arn';
import { formatDuration } from '../shared/duration';
import { decidePreflight, refusalText } from '../workflows/retirement/rules/preflight';
import { DEFAULT_OPTIONS, type RetirementOptions } from '../shared/options';
import { forEachLimited } from '../shared/limited';
import type { PolicyFile } from '../shared/policy-rules';
import { DEFAULT_PROBE_RATE, grantDependents } from '../activities/dependents';
import { DependentsInventory } from '../activities/dependents/inventory';
import type { InventorySettings } from '../activities/dependents/inventory-settings';
import type { DependentsMode, ProbeName, ProbeOutcome } from '../shared/dependents';
import { decideDependents, dependentsRefusal } from '../workflows/retirement/rules/dependents-rules';
import { buildStackIndex } from './stack-index';
import type { StackOwner } from '../workflows/retirement/rules/stack-owner';
import type { ScanEntry, ScanReport, ScopeError } from './types';

export interface ScanRequest {
  accounts: string[];
  regions: string[];
  /**
   * KMS requests per second per account and Region, all operations together, for the report: the
   * clients keep to it (a KmsPacer with `totalPerSecond`, as `kms-retire scan` builds them).
   */
  kmsRatePerSecond: number;
  options?: Partial<Pick<RetirementOptions, 'minIdleMs' | 'allowExternalMaterial' | 'acceptUnknownBeforeTracking'>>;
  /** Keys described at once per account and Region (the rate still holds). */
  concurrencyPerScope?: number;
  /** Account and Region pairs scanned at once. */
  scopeConcurrency?: number;
  /** Dependency probes to run (one reverse index per account and Region); none when absent. */
  probes?: readonly ProbeName[];
  /** The policy file's rules (shared/policy-rules.ts): matching keys are not candidates. */
  policy?: PolicyFile;
  /** Probe requests per second per service, account and Region (DEFAULT_PROBE_RATE). */
  probeRatePerSecond?: number;
  /** `--dependents-max-age`, `--dependents-retry-for` of the scan's inventory. */
  inventory?: Partial<InventorySettings>;
  /** `--dependents`: the verdict column judges dependents as `start` would in this mode (default refuse). */
  dependents?: DependentsMode;
  acceptAttachedVolumes?: string[];
}

export interface ScanDeps {
  /** Paced clients (ClientFactory with a kmsPacer): a scan makes as many calls as there are keys. */
  clients: AwsClients;
  now?: () => number;
  /** Called as keys are found (total grows) and judged (done grows). */
  onProgress?: (progress: { done: number; total: number }) => void;
  /** Paces the dependency probes' listings (tests pass one that does not wait). */
  pacer?: Pacer;
}

const DAY = 86_400_000;

export async function scanFleet(request: ScanRequest, deps: ScanDeps): Promise<ScanReport> {
  const now = deps.now ?? Date.now;
  const started = Date.now();
  const options: RetirementOptions = { ...DEFAULT_OPTIONS, ...request.options };
  // Probe listings keep their own pace per service, account and Region.
  const pacer = deps.pacer ?? new Pacer();
  const kms = deps.clients;
  const activities = createKmsActivities(deps.clients);
  const beforeTouching = {
    ...createRollbackProofActivities(deps.clients),
    ...createStackOwnerActivities({ clients: deps.clients, pacer }),
  };
  const entries: ScanEntry[] = [];
  const errors: ScopeError[] = [];
  const progress = { done: 0, total: 0 };
  let awsManagedSkipped = 0;

  const probes = request.probes ?? [];
  // One inventory for the scan: each service listed once per account and Region, every key a lookup.
  const inventory = new DependentsInventory({
    clients: deps.clients,
    pacer,
    probeRatePerSecond: request.probeRatePerSecond ?? DEFAULT_PROBE_RATE,
    settings: request.inventory,
  });
  const listed = probes.filter((p) => p !== 'grants');
  const choice = { mode: request.dependents ?? 'refuse', acceptedVolumes: request.acceptAttachedVolumes ?? [] };

  async function judge(keyArn: string, aliases: string[], stacks?: Map<string, StackOwner>): Promise<void> {
    const ref = parseKeyArn(keyArn);
    const base = { keyArn, account: ref.account, region: ref.region, keyId: ref.keyId, aliases };
    try {
      const key = await activities.describeKey({ keyArn });
      // Customers cannot retire AWS managed keys; a scan lists customer-managed ones only.
      if (key.keyManager === 'AWS') {
        awsManagedSkipped += 1;
        return;
      }
      const [lastUsage, tags, grants] = [
        await activities.getKeyLastUsage({ keyArn }),
        await activities.listResourceTags({ keyArn }),
        await activities.listGrants({ keyArn }),
      ];
      // No retirement owns the key in a scan: a kms-retire:workflow-id tag means one already does.
      const preflight = decidePreflight({ key, lastUsage, aliases, tags, grants }, options, now(), '', request.policy);
      // Owned by a stack? The way back proven? As a retirement asks, for candidates only.
      const { refusals: more, ...found } = preflight.eligible
        ? await checkBeforeTouching(
            stacks
              ? { ...beforeTouching, findStackOwner: () => Promise.resolve({ owner: stacks.get(ref.keyId) }) }
              : beforeTouching,
            { keyArn, keyState: key.keyState },
          )
        : { refusals: [] };
      const decision = {
        eligible: preflight.eligible && more.length === 0,
        refusals: [...preflight.refusals, ...more],
        evidence: { ...preflight.evidence, ...found },
      };
      const reading = decision.evidence.lastUsage;
      const outcomes: ProbeOutcome[] = [
        ...(listed.length ? await inventory.ask({ scope: ref, keyArn, probes: listed }) : []),
        // Grants come from the preflight read above: the same ListGrants answer, no second call.
        ...(probes.includes('grants')
          ? [
              {
                probe: 'grants' as const,
                answer: 'answered' as const,
                dependents: grantDependents(keyArn, grants).map((f) => f.dependent),
              },
            ]
          : []),
      ];
      const dependents = outcomes
        .flatMap((o) => o.dependents)
        .sort((a, b) => a.type.localeCompare(b.type) || a.arn.localeCompare(b.arn));
      // The verdict start would reach after preflight: the same rules, code and words.
      const refusal =
        probes.length > 0
          ? dependentsRefusal(decideDependents({ checkedAt: new Date(now()).toISOString(), outcomes }, choice))
          : undefined;
      const refusals = [...decision.refusals, ...(refusal ? [refusal] : [])];
      const candidate = decision.eligible && !refusal;
      entries.push({
        ...base,
        keyState: key.keyState,
        candidate,
        reason: candidate
          ? `${reading.summary}; idle ${formatDuration(reading.provenIdleMs)} proven, at least ${decision.evidence.minIdle}`
          : refusalText(refusals),
        refusals,
        lastUsage: reading.summary,
        provenIdleDays: Math.floor(reading.provenIdleMs / DAY),
        evidence: decision.evidence,
        ...(probes.length > 0
          ? {
              dependents,
              unknownProbes: outcomes.flatMap((o) =>
                o.answer === 'unknown' ? [{ probe: o.probe, reason: o.reason ?? 'it could not look' }] : [],
              ),
            }
          : {}),
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      entries.push({ ...base, keyState: 'Unknown', candidate: false, reason: `ScanFailed: ${message}`, refusals: [] });
    } finally {
      progress.done += 1;
      deps.onProgress?.({ ...progress });
    }
  }

  async function scanScope([account, region]: [string, string]): Promise<void> {
    try {
      const client = kms.kms(account, region);
      // AWS KMS API Reference, ListKeys: Limit 1-1000, paged by Marker while Truncated.
      const keys = await kmsPages(
        (marker) => client.send(new ListKeysCommand({ Limit: 1000, Marker: marker })),
        (out) => out.Keys,
      );
      const keyArns = keys.flatMap((k) => (k.KeyArn ? [k.KeyArn] : []));
      // One account-wide ListAliases instead of one per key: fewer requests under the same rate.
      const aliases = new Map<string, string[]>();
      const accountAliases = await kmsPages(
        (marker) => client.send(new ListAliasesCommand({ Limit: 100, Marker: marker })),
        (out) => out.Aliases,
      );
      for (const a of accountAliases) {
        if (a.TargetKeyId && a.AliasName) {
          aliases.set(a.TargetKeyId, [...(aliases.get(a.TargetKeyId) ?? []), a.AliasName]);
        }
      }
      progress.total += keyArns.length;
      deps.onProgress?.({ ...progress });
      // One listing of the scope's stacks; where it cannot be read, each candidate asks on its own.
      const stacks =
        keyArns.length > 0
          ? await buildStackIndex(deps.clients, { account, region }, pacer).catch(() => undefined)
          : undefined;
      await forEachLimited(keyArns, request.concurrencyPerScope ?? 4, (arn) =>
        judge(arn, aliases.get(parseKeyArn(arn).keyId) ?? [], stacks),
      );
    } catch (err) {
      errors.push({ account, region, message: err instanceof Error ? err.message : String(err) });
    }
  }

  const scopes = request.accounts.flatMap((a) => request.regions.map((r): [string, string] => [a, r]));
  await forEachLimited(scopes, request.scopeConcurrency ?? 8, scanScope);

  const order = (x: ScanEntry, y: ScanEntry): number =>
    x.account.localeCompare(y.account) || x.region.localeCompare(y.region) || x.keyArn.localeCompare(y.keyArn);
  entries.sort(order);
  const elapsedMs = Date.now() - started;
  return {
    scannedAt: new Date(now()).toISOString(),
    accounts: request.accounts,
    regions: request.regions,
    minIdle: formatDuration(options.minIdleMs),
    kmsRatePerSecond: request.kmsRatePerSecond,
    candidates: entries.filter((e) => e.candidate),
    notCandidates: entries.filter((e) => !e.candidate),
    awsManagedSkipped,
    errors,
    probes: [...probes],
    stats: {
      keys: entries.length,
      elapsedMs,
      keysPerSecond: elapsedMs > 0 ? (entries.length * 1000) / elapsedMs : entries.length,
    },
  };
}
