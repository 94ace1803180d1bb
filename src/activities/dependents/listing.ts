/**
 * One listing per service and scope (account and Region): every resource of that service that
 * names some KMS key, each with the key ARN it names. The per-key probe activity keeps one key's;
 * scan's reverse index keeps them all. The same code answers both, so they cannot disagree.
 */
import type { AwsClients } from '../../aws/client-factory';
import type { Pacer } from '../../aws/pacing/pacer';
import type { Dependent, ProbeName } from '../../shared/dependents';
import { aliasArnOf, keyArnOf, type KeyScope } from '../../shared/key-reference';
import { awsErrorCode, probeCall } from '../errors';
import { patiently, type Patience } from './patience';

/** A resource (or grant) found by a listing and the key it names. */
export interface Found {
  keyArn: string;
  dependent: Dependent;
}

export interface ScopeListing {
  account: string;
  region: string;
  partition: string;
  clients: AwsClients;
  /**
   * Alias name → target key id (ListAliases), to resolve references by alias; or 'by-alias': a
   * resource that names an alias is filed under the alias ARN, resolved when a key is asked about
   * (the inventory, whose aliases are listed on their own freshness).
   */
  aliases: ReadonlyMap<string, string> | 'by-alias';
  /**
   * The keys whose grants are listed (ListGrants takes a KeyId), and whose attached volumes get
   * their instance's state; with 'by-alias' every attached volume does (batched, whatever the keys).
   */
  keyArns: readonly string[];
  pacer: Pacer;
  /** Requests per second per service, account and Region. */
  ratePerSecond: number;
  /** Called after each call (an activity heartbeats). */
  onCall?: () => void;
  /** Retry a call that fails transiently, for up to a window (the inventory); none: fail at once. */
  patience?: Patience;
}

/** What a service's listing gets: its scope and a paced, classified way to call. */
export interface ListingContext extends ScopeListing {
  /** Paces one call under the service's rate and classifies its failure (ProbeDenied, …). */
  call<T>(what: string, send: () => Promise<T>): Promise<T>;
  /**
   * A call about one listed resource; undefined when the resource went away since it was listed
   * (its service answers one of `goneCodes`), so a deletion mid-listing does not fail the probe.
   */
  callUnlessGone<T>(what: string, goneCodes: readonly string[], send: () => Promise<T>): Promise<T | undefined>;
  /** A key reference (id, ARN, alias, alias ARN) as the key ARN (or the alias ARN, with 'by-alias'). */
  keyArnOf(reference: string | undefined): string | undefined;
  /** Whether a resource filed under this key (or alias) needs its follow-up calls. */
  wants(keyArn: string): boolean;
}

export type ServiceListing = (ctx: ListingContext) => Promise<Found[]>;

/** The context of one service's listing in one scope. */
export function listingContext(scope: ScopeListing, probe: ProbeName): ListingContext {
  const byAlias = scope.aliases === 'by-alias';
  const keyScope: KeyScope = {
    partition: scope.partition,
    account: scope.account,
    region: scope.region,
    aliases: scope.aliases === 'by-alias' ? new Map() : scope.aliases,
  };
  const wanted = new Set(scope.keyArns);
  // Rate limits are per service (each service's own quotas), so each probe paces on its own.
  const paceScope = `${probe}/${scope.account}/${scope.region}`;
  // Each try is paced: a retried call takes its turn under the service's rate like any other.
  const call = <T>(what: string, send: () => Promise<T>): Promise<T> =>
    patiently(async () => {
      await scope.pacer.take(paceScope, scope.ratePerSecond);
      try {
        return await probeCall(`${what} ${scope.account}/${scope.region}`, send);
      } finally {
        scope.onCall?.();
      }
    }, scope.patience);
  return {
    ...scope,
    call,
    async callUnlessGone(what, goneCodes, send) {
      try {
        return await call(what, send);
      } catch (err) {
        if (goneCodes.includes(causeCode(err) ?? '')) return undefined;
        throw err;
      }
    },
    keyArnOf: (reference) => (byAlias ? aliasArnOf(reference, keyScope) : undefined) ?? keyArnOf(reference, keyScope),
    wants: (keyArn) => byAlias || wanted.has(keyArn),
  };
}

/** A Found for each distinct key among `references` (a resource may name one key twice). */
export function foundFor(ctx: ListingContext, references: (string | undefined)[], dependent: Dependent): Found[] {
  const keys = new Set(references.map((r) => ctx.keyArnOf(r)).filter((k): k is string => k !== undefined));
  return [...keys].map((keyArn) => ({ keyArn, dependent }));
}

// The token-paging loop lives in aws/paging.ts, shared with the KMS activities and scan.
export { allPages } from '../../aws/paging';

/** The AWS error code under a classified failure (its cause), or of the error itself. */
export function causeCode(err: unknown): string | undefined {
  const cause = (err as { cause?: unknown } | null)?.cause;
  return (cause !== undefined ? awsErrorCode(cause) : undefined) ?? awsErrorCode(err);
}
