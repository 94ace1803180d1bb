export { startEmulator } from './server';
export type { EmulatorOptions, RunningEmulator } from './server';
export { EmulatorAdmin } from './admin-client';
export type { SeedKeySpec } from './admin/seed-key';
export type { FaultSpec, FaultTable } from './faults';
export type { PrincipalSpec } from './admin/principals';
export type { CallCounts } from './calls';
export { startWorkload } from './workload';
export type { WorkloadOptions, Workload, WorkloadStats } from './workload';
