export {
  createDependentsActivities,
  DEFAULT_PROBE_RATE,
  type DependentsActivities,
  type DependentsDeps,
} from './activities';
export { aliasTargets, LISTINGS, listProbe } from './listings';
export { grantDependents } from './grants';
export type { Found, ScopeListing } from './listing';
