import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { startRetirement } from '../../src/workflows/retirement/client';
import type { ListedRetirement } from '../../src/cli/commands/list';
import { buildListQuery } from '../../src/cli/commands/list-query';
import { devServerConnections, uniqueTaskQueue } from '../helpers/temporal';
import { cliEnv } from './helpers/env';
import { runCli } from './helpers/run-cli';
import { eventually } from './helpers/worker';

// No worker polls this task queue: the retirements stay in Preflight, with the search attributes
// they were started with, which is all `list` reads.
describe('kms-retire list', () => {
  let temporal: Awaited<ReturnType<typeof devServerConnections>>;
  let client: Client;
  const taskQueue = uniqueTaskQueue('list');
  const ticket = `LIST-${Math.random().toString(36).slice(2, 8)}`;
  const accountA = String(200000000000 + Math.floor(Math.random() * 1e9));
  const accountB = String(300000000000 + Math.floor(Math.random() * 1e9));
  const keyId = (n: number) =>
    `${String(n).padStart(8, '0')}-0000-4000-8000-${Math.random().toString(16).slice(2, 14).padEnd(12, '0')}`;
  const arns = [
    `arn:aws:kms:us-east-1:${accountA}:key/${keyId(1)}`,
    `arn:aws:kms:eu-west-1:${accountA}:key/${keyId(2)}`,
    `arn:aws:kms:us-east-1:${accountB}:key/${keyId(3)}`,
  ];
  const env = () => cliEnv(undefined, accountA, taskQueue);
  const listed = async (args: string[], count: number) =>
    eventually(
      async () => {
        const run = await runCli(['list', ...args, '--json'], env());
        const found = run.json<{ retirements: ListedRetirement[] }>().retirements;
        return found.length === count ? found : undefined;
      },
      15_000,
      `list ${args.join(' ')} to show ${count}`,
    );

  beforeAll(async () => {
    temporal = await devServerConnections();
    client = temporal.client;
    for (const [i, keyArn] of arns.entries()) {
      await startRetirement(client, taskQueue, { keyArn, ticket: i < 2 ? { id: ticket } : { id: `${ticket}-other` } });
    }
  });
  afterAll(async () => {
    for (const arn of arns) {
      const [, , , region, account, rest] = arn.split(':');
      await client.workflow
        .getHandle(`retire-key/${account}/${region}/${rest?.slice(4)}`)
        .terminate('test over')
        .catch(() => undefined);
    }
    await temporal?.close();
  });

  it('filters by ticket, account, Region and phase through the search attributes', async () => {
    const byTicket = await listed(['--ticket', ticket], 2);
    expect(byTicket.map((r) => r.keyArn).sort()).toEqual([arns[0], arns[1]].sort());
    expect(byTicket[0]).toMatchObject({ phase: 'Preflight', ticketId: ticket, status: 'RUNNING', account: accountA });

    const byAccount = await listed(['--account', accountB], 1);
    expect(byAccount[0]?.keyArn).toBe(arns[2]);
    const byRegion = await listed(['--account', accountA, '--region', 'eu-west-1'], 1);
    expect(byRegion[0]?.keyArn).toBe(arns[1]);
    await listed(['--account', accountA, '--phase', 'preflight'], 2);
    await listed(['--account', accountA, '--phase', 'Soaking'], 0);
  });

  it('prints a table for people, and running ones only unless --all', async () => {
    await listed(['--ticket', ticket], 2);
    const table = await runCli(['list', '--ticket', ticket], env());
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(arns[0]?.split('/')[1]);
    expect(table.stdout).toContain('Preflight');
    expect(table.stdout).toContain('2 retirement(s).');

    await client.workflow
      .getHandle(`retire-key/${accountB}/us-east-1/${arns[2]?.split('/')[1]}`)
      .terminate('closed for the test');
    await listed(['--account', accountB], 0);
    const all = await listed(['--account', accountB, '--all'], 1);
    expect(all[0]?.status).toBe('TERMINATED');
  });

  it('bad filters are bad usage (exit 2)', async () => {
    for (const [args, message] of [
      [['--phase', 'Sleeping'], '--phase "Sleeping" is not a phase'],
      [['--account', '12'], 'not a 12-digit AWS account id'],
      [['--region', 'moon'], 'not a Region name'],
      [['--ticket', "x' OR '1'='1"], 'may not contain quotes'],
      [['--limit', '0'], "'--limit <n>' argument '0' is invalid. Give a whole number of at least 1."],
    ] as const) {
      const run = await runCli(['list', ...args], env());
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toContain(message);
    }
  });

  it('builds the visibility query from the filters', () => {
    expect(buildListQuery({ phase: 'soaking', ticket: 'CHG-1', account: '111122223333', region: 'us-east-1' })).toBe(
      "WorkflowType = 'retireKey' AND RetirementPhase = 'Soaking' AND TicketId = 'CHG-1' AND KmsAccount = '111122223333' AND KmsRegion = 'us-east-1' AND ExecutionStatus = 'Running'",
    );
    expect(buildListQuery({ all: true })).toBe("WorkflowType = 'retireKey'");
  });
});
