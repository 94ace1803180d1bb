/**
 * Scan's reverse index of one account and Region, from the dependents inventory
 * (activities/dependents/inventory.ts): each service listed once (paged, paced) and its resources
 * filed under the key they name, so a fleet of keys costs one sweep per service instead of one
 * per key. A probe that cannot answer is kept as unknown with its reason, never dropped.
 */
import { DependentsInventory } from '../activities/dependents/inventory';
import type { ScopeListing } from '../activities/dependents';
import type { Dependent, ProbeName } from '../shared/dependents';

/** A probe that could not answer in a scope. */
export interface UnknownProbe {
  probe: ProbeName;
  /** The failure type and message (ProbeDenied: …, ProbeUnavailable: …, Throttling: …). */
  reason: string;
}

export interface DependentsIndex {
  /** Key ARN → the resources that name it. */
  byKey: Map<string, Dependent[]>;
  unknown: UnknownProbe[];
  /** The probes that answered. */
  answered: ProbeName[];
}

/** Every key of `scope.keyArns` asked of one inventory: each service in `probes` listed once. */
export async function buildDependentsIndex(
  scope: ScopeListing,
  probes: readonly ProbeName[],
): Promise<DependentsIndex> {
  const inventory = new DependentsInventory({
    clients: scope.clients,
    pacer: scope.pacer,
    probeRatePerSecond: scope.ratePerSecond,
    ...(scope.patience ? { settings: { retryForMs: scope.patience.retryForMs } } : {}),
  });
  const index: DependentsIndex = { byKey: new Map(), unknown: [], answered: [] };
  for (const keyArn of scope.keyArns) {
    const outcomes = await inventory.ask({ scope, keyArn, probes });
    const dependents = outcomes.flatMap((o) => o.dependents);
    if (dependents.length) index.byKey.set(keyArn, dependents);
    // The same listings answer every key of the scope: the first tells which answered.
    if (index.answered.length + index.unknown.length === 0)
      for (const o of outcomes)
        if (o.answer === 'answered') index.answered.push(o.probe);
        else index.unknown.push({ probe: o.probe, reason: o.reason ?? 'it could not look' });
  }
  return index;
}
