/**
 * State carried across continue-as-new, deflated. The CloudTrail watcher carries every key it
 * watches and the disabling gate every retirement queued: with thousands of either the JSON runs
 * to megabytes, past Temporal's 2 MB payload limit (10,000 watched keys: 3.4 MB); deflated it is a
 * tenth of that, since the entries share most of their text. It goes as a binary argument of its own.
 */
import type * as FflateModule from 'fflate/browser';

type Fflate = typeof FflateModule;

/**
 * Loaded on first use, not on import: every workflow of the bundle (a retirement, too) evaluates
 * the bundle's modules when it starts, and fflate builds its tables as it loads.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fflate = (): Fflate => require('fflate/browser') as Fflate;

export function packCarry(carry: unknown): Uint8Array {
  const { strToU8, zlibSync } = fflate();
  return zlibSync(strToU8(JSON.stringify(carry)), { level: 6 });
}

export function unpackCarry<T>(packed: Uint8Array): T {
  const { strFromU8, unzlibSync } = fflate();
  return JSON.parse(strFromU8(unzlibSync(packed))) as T;
}
