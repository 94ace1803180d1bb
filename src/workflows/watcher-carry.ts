/**
 * The watcher's state across continue-as-new, deflated: with thousands of keys the JSON runs to
 * megabytes (two ARNs and a few times per key), past Temporal's 2 MB payload limit; deflated it is
 * a tenth of that, since the keys share most of their text.
 */
import type * as FflateModule from 'fflate/browser';
import type { WatcherCarry } from '../shared/watcher-config';

type Fflate = typeof FflateModule;

/**
 * Loaded on first use, not on import: every workflow of the bundle (a retirement, too) evaluates
 * the bundle's modules when it starts, and fflate builds its tables as it loads.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fflate = (): Fflate => require('fflate/browser') as Fflate;

export function packCarry(carry: WatcherCarry): Uint8Array {
  const { strToU8, zlibSync } = fflate();
  return zlibSync(strToU8(JSON.stringify(carry)), { level: 6 });
}

export function unpackCarry(packed: Uint8Array): WatcherCarry {
  const { strFromU8, unzlibSync } = fflate();
  return JSON.parse(strFromU8(unzlibSync(packed))) as WatcherCarry;
}
