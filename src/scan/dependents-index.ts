/**
 * Scan's reverse index of one account and Region: each service listed once (paged, paced) and its
 * resources filed under the key they name, so that a fleet of keys costs one sweep per service
 * instead of one per key. The listings are the probe activities' own (activities/dependents);
 * a probe that cannot answer is kept as unknown with its reason, never dropped.
 */
import { listProbe, type ScopeListing } from '../activities/dependents';
import { PROBES, type Dependent, type ProbeName } from '../shared/dependents';

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

/** Lists every probe in `probes` once for the scope; the services are listed side by side. */
export async function buildDependentsIndex(
  scope: ScopeListing,
  probes: readonly ProbeName[],
): Promise<DependentsIndex> {
  const index: DependentsIndex = { byKey: new Map(), unknown: [], answered: [] };
  await Promise.all(
    probes.map(async (probe) => {
      try {
        for (const { keyArn, dependent } of await listProbe(scope, probe)) {
          const list = index.byKey.get(keyArn) ?? [];
          list.push(dependent);
          index.byKey.set(keyArn, list);
        }
        index.answered.push(probe);
      } catch (err) {
        index.unknown.push({ probe, reason: failureReason(err) });
      }
    }),
  );
  // In PROBES order, whichever listing finished first.
  const order = (a: ProbeName, b: ProbeName) => PROBES.indexOf(a) - PROBES.indexOf(b);
  index.answered.sort(order);
  index.unknown.sort((a, b) => order(a.probe, b.probe));
  return index;
}

function failureReason(err: unknown): string {
  if (err instanceof Error) {
    const type = (err as { type?: unknown }).type;
    return typeof type === 'string' && !err.message.startsWith(type) ? `${type}: ${err.message}` : err.message;
  }
  return String(err);
}
