export { retireKey } from './retire-key';
export { cloudTrailWatcher } from './cloudtrail-watcher';
