/**
 * One dependents inventory per worker (and per `plan` or `scan` run): for each account and Region,
 * the latest listing of each service, every resource filed under the key (or alias) it names,
 * and one whole-scope ListAliases to resolve aliases with. A key's check is a lookup in it, so its
 * calls grow with services × freshness windows, never with keys. At most one listing per service
 * and scope is in flight (single-flight.ts); every call of a listing is paced under the service's
 * own rate and retried while it fails transiently (patience.ts). Grants are the exception: ListGrants
 * takes a KeyId, so they are listed for each key at each check.
 * Several workers each keep their own inventory (docs/architecture.md).
 */
import type { AwsClients } from '../../aws/client-factory';
import { Pacer, type Sleep } from '../../aws/pacing/pacer';
import { PROBES, type Dependent, type ProbeName, type ProbeOutcome } from '../../shared/dependents';
import { DEFAULT_INVENTORY_SETTINGS, type InventorySettings } from './inventory-settings';
import type { Found, ScopeListing } from './listing';
import { aliasTargets, listProbe } from './listings';
import { DEFAULT_PROBE_RATE } from './probe-rate';
import { SingleFlight, type Listed } from './single-flight';

export interface InventoryScope {
  account: string;
  region: string;
  partition: string;
}

export interface InventoryAsk {
  scope: InventoryScope;
  keyArn: string;
  /** How old a completed listing may be (ms); the inventory's maxAgeMs when absent. */
  maxAgeMs?: number;
  /** Listings must have begun at or after this (wall clock, ms): see checkDependents. */
  notBefore?: number;
  /** The probes to answer (default: all). */
  probes?: readonly ProbeName[];
}

/** What a listing found (key or alias ARN → what names it), or why it could not look. */
type Listing = { byKey: Map<string, Dependent[]> } | { reason: string };
/** Key ARN → the alias ARNs that point at it, or why they could not be listed. */
type AliasListing = { aliasesOf: Map<string, string[]> } | { reason: string };

/** The listings and alias lookup, replaceable in unit tests (fakes without AWS). */
export interface InventorySources {
  list(scope: ScopeListing, probe: ProbeName): Promise<Found[]>;
  aliases(scope: ScopeListing): Promise<Map<string, string>>;
}

export interface InventoryDeps {
  clients: AwsClients;
  pacer?: Pacer;
  probeRatePerSecond?: number;
  settings?: Partial<InventorySettings>;
  /** The wall clock (listings are dated by it). */
  now?: () => number;
  /** How patience waits between tries (tests pass a virtual one). */
  sleep?: Sleep;
  sources?: InventorySources;
}

const REAL_SOURCES: InventorySources = {
  list: listProbe,
  aliases: (scope) => aliasTargets(scope),
};

export class DependentsInventory {
  readonly settings: InventorySettings;
  private readonly services: SingleFlight<Listing>;
  private readonly aliases: SingleFlight<AliasListing>;
  private readonly sources: InventorySources;

  constructor(private readonly deps: InventoryDeps) {
    this.settings = { ...DEFAULT_INVENTORY_SETTINGS, ...deps.settings };
    this.services = new SingleFlight(deps.now ?? Date.now);
    this.aliases = new SingleFlight(deps.now ?? Date.now);
    this.sources = deps.sources ?? REAL_SOURCES;
  }

  /** The wall clock the listings are dated by. */
  now(): number {
    return this.services.now();
  }

  /** Every asked probe's outcome for one key, each with the time its listing began. */
  async ask(ask: InventoryAsk): Promise<ProbeOutcome[]> {
    const { scope, keyArn } = ask;
    const threshold = Math.max(this.now() - (ask.maxAgeMs ?? this.settings.maxAgeMs), ask.notBefore ?? -Infinity);
    const probes = ask.probes ?? PROBES;
    // One whole-scope ListAliases, as fresh as the listings it resolves (asked only when needed).
    let aliases: Promise<Listed<AliasListing>> | undefined;
    const names = () =>
      (aliases ??= this.aliases.get(flightKey('aliases', scope), threshold, () => this.listAliases(scope)));
    return Promise.all(
      probes.map(async (probe): Promise<ProbeOutcome> => {
        if (probe === 'grants') return this.grants(scope, keyArn);
        const [service, resolved] = await Promise.all([
          this.services.get(flightKey(probe, scope), threshold, () => this.list(scope, probe)),
          names(),
        ]);
        return outcomeFor(probe, keyArn, service, resolved);
      }),
    );
  }

  /** How many listings each service (and ListAliases) began, by "probe/account/region". */
  listingsBegun(): Map<string, number> {
    return new Map([...this.services.begun, ...this.aliases.begun]);
  }

  private scopeListing(scope: InventoryScope, keyArns: readonly string[] = []): ScopeListing {
    return {
      ...scope,
      clients: this.deps.clients,
      aliases: 'by-alias',
      keyArns,
      pacer: this.deps.pacer ?? new Pacer(),
      ratePerSecond: this.deps.probeRatePerSecond ?? DEFAULT_PROBE_RATE,
      patience: { retryForMs: this.settings.retryForMs, now: this.deps.now, sleep: this.deps.sleep },
    };
  }

  private async list(scope: InventoryScope, probe: ProbeName): Promise<Listing> {
    try {
      const byKey = new Map<string, Dependent[]>();
      for (const { keyArn, dependent } of await this.sources.list(this.scopeListing(scope), probe)) {
        byKey.set(keyArn, [...(byKey.get(keyArn) ?? []), dependent]);
      }
      return { byKey };
    } catch (err) {
      return { reason: failureReason(err) };
    }
  }

  /** Key ARN → the alias ARNs that point at it, from one whole-scope ListAliases. */
  private async listAliases(scope: InventoryScope): Promise<AliasListing> {
    try {
      const targets = await this.sources.aliases(this.scopeListing(scope));
      const aliasesOf = new Map<string, string[]>();
      for (const [name, keyId] of targets) {
        const keyArn = `arn:${scope.partition}:kms:${scope.region}:${scope.account}:key/${keyId}`;
        aliasesOf.set(keyArn, [...(aliasesOf.get(keyArn) ?? []), aliasArn(scope, name)]);
      }
      return { aliasesOf };
    } catch (err) {
      return {
        reason: `the aliases could not be listed (KMS ListAliases), so references by alias cannot be resolved: ${failureReason(err)}`,
      };
    }
  }

  /** The key's own grants, at each check: ListGrants is per key. */
  private async grants(scope: InventoryScope, keyArn: string): Promise<ProbeOutcome> {
    const listedAt = new Date(this.now()).toISOString();
    try {
      const found = await this.sources.list({ ...this.scopeListing(scope, [keyArn]), aliases: new Map() }, 'grants');
      return { probe: 'grants', answer: 'answered', dependents: found.map((f) => f.dependent), listedAt };
    } catch (err) {
      return { probe: 'grants', answer: 'unknown', dependents: [], reason: failureReason(err), listedAt };
    }
  }
}

function flightKey(probe: ProbeName | 'aliases', scope: InventoryScope): string {
  return `${probe}/${scope.account}/${scope.region}`;
}

function aliasArn(scope: InventoryScope, name: string): string {
  return `arn:${scope.partition}:kms:${scope.region}:${scope.account}:${name}`;
}

/**
 * One probe's outcome for one key: what is filed under the key and under each of its aliases.
 * Its time is the older of the two listings: a resource naming an alias made after the alias
 * listing began could be missed, so the answer is only as recent as both.
 */
function outcomeFor(
  probe: ProbeName,
  keyArn: string,
  service: Listed<Listing>,
  names: Listed<AliasListing>,
): ProbeOutcome {
  const listedAt = new Date(Math.min(service.listedAt, names.listedAt)).toISOString();
  const unknown = (reason: string): ProbeOutcome => ({ probe, answer: 'unknown', dependents: [], reason, listedAt });
  if ('reason' in service.value) return unknown(service.value.reason);
  if ('reason' in names.value) return unknown(names.value.reason);
  const filed = [keyArn, ...(names.value.aliasesOf.get(keyArn) ?? [])];
  const seen = new Set<string>();
  const byKey = service.value.byKey;
  const dependents = filed
    .flatMap((k) => byKey.get(k) ?? [])
    .filter((d) => {
      // A resource naming the key twice (by id and by alias) is one dependent.
      const id = `${d.type} ${d.arn}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  return { probe, answer: 'answered', dependents, listedAt };
}

/** A failure as the evidence shows it: its type and message (ProbeDenied: …, Throttling: …). */
export function failureReason(err: unknown): string {
  if (err instanceof Error) {
    const type = (err as { type?: unknown }).type;
    return typeof type === 'string' && !err.message.startsWith(type) ? `${type}: ${err.message}` : err.message;
  }
  return String(err);
}
