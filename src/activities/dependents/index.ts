export { createDependentsActivities, type DependentsActivities, type DependentsDeps } from './activities';
export { DEFAULT_PROBE_RATE } from './probe-rate';
export { aliasTargets, LISTINGS, listProbe } from './listings';
export { grantDependents } from './grants';
export type { Found, ScopeListing } from './listing';
