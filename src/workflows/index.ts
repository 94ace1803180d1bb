export { retireKey } from './retirement/retire-key';
export { cloudTrailWatcher } from './watcher/cloudtrail-watcher';
export { disablingGate } from './gate/disabling-gate';
export { campaign } from './campaign/campaign';
