/**
 * The worker's policy file (`kms-retire worker --policy FILE`, KMS_RETIRE_POLICY) as an activity:
 * the worker is the authority, so its rules apply to every retirement it runs, a webhook start
 * included. The rules come back as data and are recorded in the history, so a replay decides as the
 * run did even if the file has changed since.
 */
import { EMPTY_POLICY, type PolicyFile } from '../../shared/policy-rules';

export function createPolicyActivities(policy: PolicyFile | undefined) {
  return {
    workerPolicy(): Promise<PolicyFile> {
      return Promise.resolve(policy ?? EMPTY_POLICY);
    },
  };
}

export type PolicyActivities = ReturnType<typeof createPolicyActivities>;
