export { startEmulator } from './core/server';
export type { EmulatorOptions, RunningEmulator } from './core/server';
export { EmulatorAdmin } from './admin-client';
export type { SeedKeySpec } from './core/admin/seed-key';
export type { FaultSpec, FaultTable } from './core/faults';
export type { PrincipalSpec } from './core/admin/principals';
export type { CallCounts } from './core/calls';
export { startWorkload } from './workload';
export type { WorkloadOptions, Workload, WorkloadStats } from './workload';
