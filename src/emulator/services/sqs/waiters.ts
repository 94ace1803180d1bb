import type { Store } from '../../core/store';

/** Wakes long polls waiting on a queue when a message arrives (per emulator, by queue ARN). */
const waiters = new WeakMap<Store, Map<string, Set<() => void>>>();

export function notifyQueue(store: Store, arn: string): void {
  for (const wake of waiters.get(store)?.get(arn) ?? []) wake();
}

export function waitForMessage(store: Store, arn: string, ms: number): Promise<void> {
  let byArn = waiters.get(store);
  if (!byArn) waiters.set(store, (byArn = new Map<string, Set<() => void>>()));
  const set = byArn.get(arn) ?? new Set();
  byArn.set(arn, set);
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      set.delete(done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    set.add(done);
  });
}
