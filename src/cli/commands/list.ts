import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import type { Command } from 'commander';
import {
  KmsAccount,
  KmsKeyArn,
  KmsRegion,
  RetirementPhaseAttr,
  SoakEndsAt,
  TicketId,
} from '../../shared/search-attributes';
import type { RetirementResult } from '../../shared/types';
import { wholeNumber } from '../settings';
import { buildListQuery, type ListFilters } from './list-query';
import { keyIdOf, shortTime, table, write, writeJson } from '../output';
import { withTemporal } from '../temporal';

interface ListFlags extends ListFilters {
  limit: number;
  json?: boolean;
}

export interface ListedRetirement {
  workflowId: string;
  runId: string;
  keyArn?: string;
  account?: string;
  region?: string;
  phase?: string;
  ticketId?: string;
  soakEndsAt?: string;
  status: string;
  /** For a completed retirement: its outcome. */
  outcome?: string;
  startedAt: string;
  closedAt?: string;
}

/** `kms-retire list`: retirements found by visibility queries on the search attributes. */
export function registerListCommand(program: Command): void {
  program
    .command('list')
    .description('list retirements (running ones unless --all), filtered by phase, ticket, account or Region')
    .option(
      '--phase <phase>',
      'Preflight, Queued, Disabling, Soaking, AwaitingApproval, Scheduling, PendingDeletion or Done',
    )
    .option('--ticket <id>', 'ticket id the retirement was started for')
    .option('--account <account>', '12-digit AWS account id')
    .option('--region <region>', 'AWS Region')
    .option('--all', 'closed retirements too')
    .option('--limit <n>', 'at most this many', wholeNumber(1), 100)
    .option('--json', 'machine-readable output')
    .action(async (flags: ListFlags) => {
      const { limit } = flags;
      const query = buildListQuery(flags);
      const found = await withTemporal(({ client }) => listRetirements(client, query, limit));
      if (flags.json) writeJson({ query, retirements: found });
      else write(renderList(found));
    });
}

export async function listRetirements(client: Client, query: string, limit: number): Promise<ListedRetirement[]> {
  const out: ListedRetirement[] = [];
  for await (const info of client.workflow.list({ query, pageSize: Math.min(limit, 100) })) {
    out.push(toListed(info));
    if (out.length >= limit) break;
  }
  // A completed retirement's outcome is in its result, not in a search attribute.
  await Promise.all(
    out
      .filter((r) => r.status === 'COMPLETED')
      .map(async (r) => {
        const result = (await client.workflow
          .getHandle(r.workflowId, r.runId)
          .result()
          .catch(() => undefined)) as RetirementResult | undefined;
        r.outcome = result?.outcome;
      }),
  );
  return out;
}

function toListed(info: WorkflowExecutionInfo): ListedRetirement {
  const sa = info.typedSearchAttributes;
  return {
    workflowId: info.workflowId,
    runId: info.runId,
    keyArn: sa.get(KmsKeyArn),
    account: sa.get(KmsAccount),
    region: sa.get(KmsRegion),
    phase: sa.get(RetirementPhaseAttr),
    ticketId: sa.get(TicketId),
    soakEndsAt: sa.get(SoakEndsAt)?.toISOString(),
    status: info.status.name,
    startedAt: info.startTime.toISOString(),
    closedAt: info.closeTime?.toISOString(),
  };
}

export function renderList(found: readonly ListedRetirement[]): string {
  if (found.length === 0) return 'no retirements match.';
  const rows = found.map((r) => [
    r.keyArn ? keyIdOf(r.keyArn) : r.workflowId,
    r.account,
    r.region,
    r.phase,
    r.outcome ?? (r.status === 'RUNNING' ? '' : r.status),
    r.ticketId,
    shortTime(r.soakEndsAt),
    shortTime(r.startedAt),
  ]);
  return `${table(['key', 'account', 'region', 'phase', 'outcome', 'ticket', 'soak ends', 'started'], rows)}\n${found.length} retirement(s).`;
}
