/**
 * A campaign from the client side: starting it, steering it (pause, resume, cancel), reading it,
 * listing campaigns. The CLI and the webhook share it.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { campaignWorkflowId } from '../../shared/ids';
import { CampaignStateAttr, KmsCampaign } from '../../shared/search-attributes';
import { packCarry, unpackCarry } from '../packed-carry';
import { campaign } from './campaign';
import {
  cancelCampaignUpdate,
  campaignKeysQuery,
  campaignStatusQuery,
  pauseCampaignUpdate,
  resumeCampaignUpdate,
  type CampaignCancelInput,
  type CampaignKey,
  type CampaignSettings,
  type CampaignStatus,
  type ResumeInput,
} from './messages';

export class UnknownCampaignError extends Error {
  static readonly type = 'UnknownCampaign';
  constructor(name: string) {
    super(
      `no campaign ${name} is known to the Temporal server (workflow ${campaignWorkflowId(name)}); check the name and the namespace (kms-retire campaign list).`,
    );
    this.name = UnknownCampaignError.type;
  }
}

export interface CampaignStartResult {
  workflowId: string;
  /** False: a campaign of this name is running already; nothing new was started. */
  started: boolean;
}

export async function startCampaign(
  client: Client,
  taskQueue: string,
  settings: CampaignSettings,
  keyArns: string[],
): Promise<CampaignStartResult> {
  const workflowId = campaignWorkflowId(settings.name);
  try {
    await client.workflow.start(campaign, {
      taskQueue,
      workflowId,
      args: [{ settings, packed: 'keys' }, packCarry(keyArns)],
      workflowIdConflictPolicy: 'FAIL',
      staticSummary: `Campaign ${settings.name}: retire ${keyArns.length} KMS key(s) in waves ${settings.waves.join(',')}`,
      typedSearchAttributes: [
        { key: KmsCampaign, value: settings.name },
        { key: CampaignStateAttr, value: 'Running' },
      ],
    });
    return { workflowId, started: true };
  } catch (err) {
    if (err instanceof Error && err.name === 'WorkflowExecutionAlreadyStartedError')
      return { workflowId, started: false };
    throw err;
  }
}

async function known<T>(name: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new UnknownCampaignError(name);
    throw err;
  }
}

/** The campaign's status; a closed one answers from its result. */
export async function readCampaignStatus(client: Client, name: string): Promise<CampaignStatus> {
  const handle = client.workflow.getHandle<typeof campaign>(campaignWorkflowId(name));
  const description = await known(name, () => handle.describe());
  if (description.status.name === 'COMPLETED') return handle.result();
  return known(name, () => handle.query(campaignStatusQuery));
}

/** Every key of the campaign with what its retirement reported (running campaigns only). */
export async function readCampaignKeys(client: Client, name: string): Promise<CampaignKey[]> {
  const handle = client.workflow.getHandle(campaignWorkflowId(name));
  return unpackCarry<CampaignKey[]>(await known(name, () => handle.query(campaignKeysQuery)));
}

export async function pauseCampaign(client: Client, name: string, by?: string): Promise<CampaignStatus> {
  const handle = client.workflow.getHandle(campaignWorkflowId(name));
  return known(name, () => handle.executeUpdate(pauseCampaignUpdate, { args: [{ by }] }));
}

export async function resumeCampaign(client: Client, name: string, input: ResumeInput): Promise<CampaignStatus> {
  const handle = client.workflow.getHandle(campaignWorkflowId(name));
  return known(name, () => handle.executeUpdate(resumeCampaignUpdate, { args: [input] }));
}

export async function cancelCampaign(
  client: Client,
  name: string,
  input: CampaignCancelInput,
): Promise<CampaignStatus> {
  const handle = client.workflow.getHandle(campaignWorkflowId(name));
  return known(name, () => handle.executeUpdate(cancelCampaignUpdate, { args: [input] }));
}

export interface CampaignListEntry {
  name: string;
  state: string;
  status: string;
  startTime?: string;
}

/** Campaigns known to visibility (`WorkflowType = 'campaign'`), newest first. */
export async function listCampaigns(client: Client, limit = 200): Promise<CampaignListEntry[]> {
  const out: CampaignListEntry[] = [];
  for await (const w of client.workflow.list({ query: `WorkflowType = 'campaign'`, pageSize: 100 })) {
    if (seen(out, w.workflowId)) continue;
    out.push({
      name: w.workflowId.replace(/^campaign\//, ''),
      state: w.typedSearchAttributes.get(CampaignStateAttr) ?? '?',
      status: w.status.name,
      startTime: w.startTime.toISOString(),
    });
    if (out.length >= limit) break;
  }
  return out;
}

function seen(list: CampaignListEntry[], workflowId: string): boolean {
  return list.some((e) => `campaign/${e.name}` === workflowId);
}
