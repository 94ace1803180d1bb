/** The environment that points the CLI at the suite's dev server and at a test emulator. */
import { inject } from 'vitest';
import type { TestEmulator } from '../../helpers/emulator';

export function cliEnv(emu: TestEmulator | undefined, account: string, taskQueue: string): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: inject('temporalNamespace'),
    KMS_RETIRE_TASK_QUEUE: taskQueue,
    AWS_REGION: 'us-east-1',
    // The emulator takes a 12-digit access key id as the caller's account.
    AWS_ACCESS_KEY_ID: account,
    AWS_SECRET_ACCESS_KEY: 'test',
    ...(emu ? { AWS_ENDPOINT_URL: emu.url } : {}),
  };
}
