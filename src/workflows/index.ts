export { retireKey } from './retire-key';
export { cloudTrailWatcher } from './cloudtrail-watcher';
export { disablingGate } from './disabling-gate';
