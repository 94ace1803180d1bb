import type { KeyRef } from './arn';

/** The task queue every worker polls unless KMS_RETIRE_TASK_QUEUE says otherwise. */
export const DEFAULT_TASK_QUEUE = 'kms-retire';

/** At most one retirement runs per key: the id is derived from the key. */
export function retirementWorkflowId(key: Pick<KeyRef, 'account' | 'region' | 'keyId'>): string {
  return `retire-key/${key.account}/${key.region}/${key.keyId}`;
}

/** One CloudTrail watcher per account and Region. */
export function watcherWorkflowId(account: string, region: string): string {
  return `cloudtrail-watcher/${account}/${region}`;
}

/**
 * One disabling gate per account, shared by all its Regions: the blast radius of disabling keys is
 * the account's applications.
 */
export function disablingGateWorkflowId(account: string): string {
  return `disabling-gate/${account}`;
}

/** One workflow per campaign, named by the operator. */
export function campaignWorkflowId(name: string): string {
  return `campaign/${name}`;
}

export function parseRetirementWorkflowId(id: string): { account: string; region: string; keyId: string } | undefined {
  const match = /^retire-key\/(\d{12})\/([a-z0-9-]+)\/([A-Za-z0-9-]+)$/.exec(id);
  if (!match) return undefined;
  return { account: match[1] as string, region: match[2] as string, keyId: match[3] as string };
}
