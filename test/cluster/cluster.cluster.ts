/**
 * `npm run test:cluster`: kms-retire on the production shape that docker-compose.yml describes — a
 * Temporal server on PostgreSQL, set up from the compose file's own settings, several workers — run
 * here without Docker (src/toolchain/cluster). Everything kms-retire is driven through its CLI, as
 * operators run it; the checks read Temporal (client API), the emulator's keys and its CloudTrail.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../src/toolchain/cluster';
import {
  decidedCount,
  decision,
  EXPECT,
  irreversibleCalls,
  mix,
  seedKeys,
  startUsers,
  wrongCalls,
  type Decided,
  type Key,
} from './cast';
import { makePatchedBuild, PATCH_ID, type PatchedBuild } from './patched-build';
import { Admin, BIN, cli, cliJson, startEmulatorProcess, WorkerPool, type Emulator } from './stack';

const ACCOUNTS = ['310000000001', '320000000002', '330000000003', '340000000004'];
const WORKERS = ['w1', 'w2', 'w3'];
// A 1 s CloudTrail allowance (as the fault soak): at 0 s a use in the same instant as a sweep's edge can be missed.
const OPTIONS = ['--soak', '5s', '--trail-lag', '1s', '--pending-window-days', '7', '--min-idle', '90d'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (line: string) => process.stderr.write(`[cluster test] ${line}\n`);

describe('kms-retire on Temporal with PostgreSQL, as docker-compose.yml describes it', () => {
  let cluster: Cluster | undefined;
  let emulator: Emulator | undefined;
  let connection: Connection | undefined;
  let client: Client;
  let admin: Admin;
  let pool: WorkerPool | undefined;
  let patched: PatchedBuild | undefined;
  let env: NodeJS.ProcessEnv;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-retire-cluster-test-'));
  const report: string[] = [];
  const mainKeys: Key[] = [];

  beforeAll(async () => {
    const began = Date.now();
    cluster = await startCluster({ progress: (m) => process.stderr.write(`[kms-retire cluster] ${m}\n`) });
    report.push(
      `cluster up in ${((Date.now() - began) / 1000).toFixed(0)}s (${Object.entries(cluster.timings)
        .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}s`)
        .join(
          ', ',
        )}); server ${cluster.build.version} (${cluster.build.source}), PostgreSQL ${cluster.postgres.version}`,
    );
    // LookupEvents unthrottled: the test's own CloudTrail accounting must not race the watchers' budget.
    emulator = await startEmulatorProcess(['--lookup-rate', '0']);
    admin = new Admin(emulator.url);
    connection = await Connection.connect({ address: cluster.address });
    client = new Client({ connection, namespace: cluster.namespace });
    env = { ...process.env };
    for (const name of Object.keys(env))
      if (/^(AWS_|TEMPORAL_|KMS_RETIRE_)/.test(name) && name !== 'KMS_RETIRE_CACHE_DIR') delete env[name];
    Object.assign(env, {
      TEMPORAL_ADDRESS: cluster.address,
      TEMPORAL_NAMESPACE: cluster.namespace,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: emulator.url,
      AWS_ACCESS_KEY_ID: '111122223333',
      AWS_SECRET_ACCESS_KEY: 'emulator',
      // One worker acts in every account through a role there, as in production.
      KMS_RETIRE_ROLE_TEMPLATE: 'arn:aws:iam::{account}:role/kms-retire',
      KMS_RETIRE_WATCH_INTERVAL_MS: '1000',
      KMS_RETIRE_WATCH_MIN_LAG_MS: '1000',
      KMS_RETIRE_WATCH_REPORT_MS: '1000',
      KMS_RETIRE_LOOKUP_RPS: '2',
    });
    pool = new WorkerPool(env);
  }, 45 * 60_000);

  afterAll(async () => {
    // Whatever failed: no worker, emulator, Temporal server or PostgreSQL outlives the test.
    await pool?.stopAll().catch(() => undefined);
    await emulator?.stop().catch(() => undefined);
    await connection?.close().catch(() => undefined);
    await cluster?.stop();
    patched?.remove();
    fs.rmSync(dir, { recursive: true, force: true });
    if (report.length) process.stderr.write(`\n== cluster test report\n${report.join('\n')}\n\n`);
  }, 120_000);

  /** Starts retirements of `keys` with the CLI (one `start --from` call) and notes their workflow ids. */
  async function start(keys: Key[], ticket: string, options = OPTIONS): Promise<void> {
    const file = path.join(dir, `${ticket}.txt`);
    fs.writeFileSync(file, keys.map((k) => k.arn).join('\n'));
    const out = await cliJson<{ workflowId: string; keyArn: string; started: boolean }[]>(
      ['start', '--from', file, '--ticket', ticket, '--concurrency', '16', ...options],
      env,
    );
    const ids = new Map(out.map((o) => [o.keyArn, o]));
    for (const key of keys) {
      const started = ids.get(key.arn);
      expect(started?.started, `started ${key.arn}`).toBe(true);
      key.workflowId = started?.workflowId;
    }
  }

  /** Waits until every retirement of the ticket has decided (visibility), then reads each one's decision. */
  async function waitDecided(keys: Key[], ticket: string, deadlineMs: number): Promise<Map<Key, Decided>> {
    const deadline = Date.now() + deadlineMs;
    let last = -1;
    while (Date.now() < deadline) {
      const n = await decidedCount(client, ticket).catch(() => -1);
      if (n !== last && n >= 0) log(`${ticket}: ${n}/${keys.length} decided`);
      last = n >= 0 ? n : last;
      if (n >= keys.length) break;
      await sleep(1000);
    }
    const decided = new Map<Key, Decided>();
    for (let i = 0; i < keys.length; i += 20)
      await Promise.all(
        keys.slice(i, i + 20).map(async (key) => {
          const d = await decision(client, key).catch(() => undefined);
          if (d) decided.set(key, d);
        }),
      );
    return decided;
  }

  function wrongOutcomes(keys: Key[], decided: Map<Key, Decided>): string[] {
    return keys
      .filter((k) => decided.get(k)?.outcome !== EXPECT[k.kind].outcome)
      .map((k) => `${k.kind} ${k.arn}: ${decided.get(k)?.outcome ?? 'undecided'} ${decided.get(k)?.reason ?? ''}`);
  }

  async function wrongStates(keys: Key[]): Promise<string[]> {
    const states = new Map<string, string>();
    for (const account of new Set(keys.map((k) => k.account)))
      for (const k of await admin.keys(account)) states.set(k.Arn, k.KeyState);
    return keys
      .filter((k) => states.get(k.arn) !== EXPECT[k.kind].finalState)
      .map((k) => `${k.kind} ${k.arn}: ${states.get(k.arn)} (expected ${EXPECT[k.kind].finalState})`);
  }

  it('runs the server from the compose file: its config, schemas, namespace and search attributes', async () => {
    const c = cluster as Cluster;
    const rendered = await c.server.renderedConfig();
    const e = c.compose.temporalEnv;
    // The persistence the server rendered from the compose settings (one source).
    expect(rendered).toContain(`pluginName: ${e.DB}`);
    expect(rendered).toContain(`connectAddr: 127.0.0.1:${c.postgres.port}`);
    expect(rendered).toContain(`user: ${e.POSTGRES_USER}`);
    expect(rendered).toContain('databaseName: temporal_visibility');
    expect(c.build.version).toBe(c.compose.temporalVersion);
    const listed = await (connection as Connection).operatorService.listSearchAttributes({ namespace: c.namespace });
    const typeNames = temporal.api.enums.v1.IndexedValueType as unknown as Record<number, string>;
    for (const { name, type } of c.compose.searchAttributes)
      expect(String(typeNames[listed.customAttributes?.[name] ?? -1]).toLowerCase(), name).toContain(
        type.toLowerCase(),
      );
    report.push(
      `search attributes from docker-compose.yml on SQL visibility: ${c.compose.searchAttributes.map((s) => `${s.name}=${s.type}`).join(' ')}`,
    );
  });

  it('200 retirements over 4 accounts on 3 workers, a worker SIGKILLed mid-soak and the server restarted: each decides right, nothing lost or doubled', async () => {
    const p = pool as WorkerPool;
    const c = cluster as Cluster;
    mainKeys.push(...(await seedKeys(admin, ACCOUNTS, mix(30, 12, 8), 'main')));
    expect(mainKeys).toHaveLength(200);
    for (const name of WORKERS) p.start(name);
    await Promise.all([...p.workers.values()].map((w) => w.ready));
    const stopUsers = startUsers(admin, (emulator as Emulator).url, () => mainKeys);
    const began = Date.now();
    await start(mainKeys, 'CLUSTER-MAIN');
    log(`started 200 retirements in ${((Date.now() - began) / 1000).toFixed(1)}s`);

    // The chaos: w2 killed while retirements soak, started again 3 s later; then the server crashes.
    let serverAwayMs = 0;
    let killedWhileSoaking = 0;
    const chaos = (async () => {
      const deadline = Date.now() + 300_000;
      while (Date.now() < deadline) {
        const soaking = await client.workflow
          .count('TicketId = "CLUSTER-MAIN" AND RetirementPhase = "Soaking"')
          .catch(() => ({ count: 0 }));
        if (soaking.count >= 5) {
          killedWhileSoaking = soaking.count;
          break;
        }
        await sleep(300);
      }
      await p.kill('w2');
      log(`SIGKILLed worker w2 with ${killedWhileSoaking} retirements soaking`);
      await sleep(3000);
      p.start('w2');
      while (Date.now() < deadline && (await decidedCount(client, 'CLUSTER-MAIN').catch(() => 0)) < 60)
        await sleep(500);
      serverAwayMs = await c.server.crashAndRestart();
      log(`Temporal server SIGKILLed and started again: away ${(serverAwayMs / 1000).toFixed(1)}s`);
    })();

    const decided = await waitDecided(mainKeys, 'CLUSTER-MAIN', 20 * 60_000);
    await chaos;
    const runMs = Date.now() - began;
    const useAnswers = await stopUsers();
    await sleep(3000); // any call still in flight lands before the count
    const calls = await irreversibleCalls((emulator as Emulator).url, mainKeys);
    const accepted = [...calls.values()].reduce((n, k) => n + k.accepted.length, 0);
    const needed = mainKeys.reduce((n, k) => n + EXPECT[k.kind].needs.length, 0);

    report.push(
      `main: 200 retirements (120 idle, 48 used, 32 AWS-managed) over ${ACCOUNTS.length} accounts on 3 workers in ${(runMs / 1000).toFixed(0)}s; ` +
        `w2 SIGKILLed with ${killedWhileSoaking} soaking; server away ${(serverAwayMs / 1000).toFixed(1)}s; ` +
        `irreversible calls accepted ${accepted} / needed ${needed} (attempts ${[...calls.values()].reduce((n, k) => n + k.attempts, 0)}); ` +
        `worker starts ${p.stats.starts}, self-exits ${p.stats.selfExits}`,
    );
    expect(killedWhileSoaking).toBeGreaterThanOrEqual(5);
    expect(serverAwayMs).toBeGreaterThan(0);
    // Every use of a still-needed key met a disabled key (that is what the watcher saw).
    expect(useAnswers.filter((a) => a !== 'DisabledException')).toEqual([]);
    expect(useAnswers).toHaveLength(48);
    expect(wrongOutcomes(mainKeys, decided)).toEqual([]);
    expect(await wrongStates(mainKeys)).toEqual([]);
    expect(wrongCalls(mainKeys, calls)).toEqual([]);
    // Nothing doubled: each idle key's deletion scheduled once, each used key's disable and re-enable once.
    expect(accepted).toBe(needed);
  });

  it('rolls the workers one by one onto a build with a patched workflow; retirements in flight replay safely', async () => {
    const p = pool as WorkerPool;
    patched = makePatchedBuild();
    // In flight during the roll: a longer soak, so every one is mid-retirement when its worker changes.
    const inFlight = await seedKeys(admin, ACCOUNTS, mix(4, 2, 1), 'roll');
    const afterRoll = await seedKeys(admin, ACCOUNTS, mix(2, 1, 1), 'after');
    const stopUsers = startUsers(admin, (emulator as Emulator).url, () => [...inFlight, ...afterRoll]);
    await start(inFlight, 'CLUSTER-ROLL', ['--soak', '30s', ...OPTIONS.slice(2)]);
    for (let i = 0; i < 300; i++) {
      const soaking = await client.workflow.count('TicketId = "CLUSTER-ROLL" AND RetirementPhase = "Soaking"');
      if (soaking.count >= 8) break;
      await sleep(300);
    }
    for (const name of WORKERS) {
      await p.roll(name, patched.bin);
      log(`worker ${name} rolled onto the patched build`);
      await sleep(2000);
    }
    await start(afterRoll, 'CLUSTER-AFTER');
    const decidedInFlight = await waitDecided(inFlight, 'CLUSTER-ROLL', 10 * 60_000);
    const decidedAfter = await waitDecided(afterRoll, 'CLUSTER-AFTER', 10 * 60_000);
    await stopUsers();
    await sleep(2000);
    const calls = await irreversibleCalls((emulator as Emulator).url, [...inFlight, ...afterRoll]);

    const oldPids = p.pidsByBin.get(BIN) ?? new Set<number>();
    const newPids = p.pidsByBin.get(patched.bin) ?? new Set<number>();
    const facts = async (key: Key) => {
      const history = await client.workflow.getHandle(key.workflowId ?? '').fetchHistory();
      const events = history.events ?? [];
      const pids = events
        .map((e) => e.workflowTaskStartedEventAttributes?.identity ?? '')
        .filter(Boolean)
        .map((identity) => Number(identity.split('@')[0]));
      const marker = events.some((e) =>
        Object.values(e.markerRecordedEventAttributes?.details ?? {})
          .flatMap((payloads) => payloads.payloads ?? [])
          .some((pl) =>
            Buffer.from(pl.data ?? new Uint8Array())
              .toString('utf8')
              .includes(PATCH_ID),
          ),
      );
      const failures = events.flatMap((e) =>
        e.workflowTaskFailedEventAttributes ? [e.workflowTaskFailedEventAttributes] : [],
      );
      return {
        // Non-determinism: what an unsafe change makes a replay fail with (TMPRL1100).
        taskFailures: failures.filter((f) => /nondetermin|TMPRL1100/i.test(f.failure?.message ?? '')).length,
        otherFailures: failures.map((f) => `${f.cause ?? '?'} ${f.failure?.message?.slice(0, 100) ?? ''}`),
        onOld: pids.some((pid) => oldPids.has(pid)),
        onNew: pids.some((pid) => newPids.has(pid)),
        marker,
      };
    };
    const inFlightFacts = await Promise.all(inFlight.map(facts));
    const afterFacts = await Promise.all(afterRoll.map(facts));
    const acrossBuilds = inFlightFacts.filter((f) => f.onOld && f.onNew).length;
    report.push(
      `rolling upgrade: ${inFlight.length} retirements in flight across the roll (${acrossBuilds} ran workflow tasks on both builds, ` +
        `replaying the old build's history on the patched one), ${afterRoll.length} started after it (patch marker in ` +
        `${afterFacts.filter((f) => f.marker).length}); non-determinism failures ${[...inFlightFacts, ...afterFacts].reduce((n, f) => n + f.taskFailures, 0)}; ` +
        `other workflow task failures: [${[...inFlightFacts, ...afterFacts].flatMap((f) => f.otherFailures.filter((o) => !/nondetermin|TMPRL1100/i.test(o))).join('; ')}]`,
    );
    expect(wrongOutcomes(inFlight, decidedInFlight)).toEqual([]);
    expect(wrongOutcomes(afterRoll, decidedAfter)).toEqual([]);
    expect(wrongCalls([...inFlight, ...afterRoll], calls)).toEqual([]);
    expect(await wrongStates([...inFlight, ...afterRoll])).toEqual([]);
    expect([...inFlightFacts, ...afterFacts].map((f) => f.taskFailures)).toEqual(
      [...inFlightFacts, ...afterFacts].map(() => 0),
    );
    // The in-flight retirements were replayed by the new build (no sticky cache survives a process),
    // took the old path (no marker), and the new ones took the patched one.
    expect(acrossBuilds).toBeGreaterThanOrEqual(inFlight.length / 2);
    expect(inFlightFacts.filter((f) => f.onOld && f.marker)).toEqual([]);
    expect(afterFacts.every((f) => f.marker)).toBe(true);
  });

  it('`kms-retire list --phase …` and the Web UI search run on PostgreSQL visibility', async () => {
    const c = cluster as Cluster;
    type Listed = { retirements: { keyArn?: string; phase?: string; status: string; outcome?: string }[] };
    const pending = await cliJson<Listed>(
      ['list', '--phase', 'PendingDeletion', '--ticket', 'CLUSTER-MAIN', '--limit', '500'],
      env,
    );
    const idle = mainKeys.filter((k) => k.kind === 'idle').map((k) => k.arn);
    expect(pending.retirements.map((r) => r.keyArn).sort()).toEqual([...idle].sort());
    const account = ACCOUNTS[0] ?? '';
    const oneAccount = await cliJson<Listed>(
      ['list', '--phase', 'PendingDeletion', '--ticket', 'CLUSTER-MAIN', '--account', account],
      env,
    );
    expect(oneAccount.retirements).toHaveLength(30);
    const all = await cliJson<Listed>(['list', '--all', '--ticket', 'CLUSTER-MAIN', '--limit', '500'], env);
    const outcomes: Record<string, number> = {};
    for (const r of all.retirements)
      outcomes[r.outcome ?? r.phase ?? '?'] = (outcomes[r.outcome ?? r.phase ?? '?'] ?? 0) + 1;
    expect(outcomes).toEqual({ PendingDeletion: 120, Reenabled: 48, Refused: 32 });
    const table = await cli(['list', '--phase', 'PendingDeletion', '--ticket', 'CLUSTER-MAIN', '--limit', '3'], env);
    expect(table.code).toBe(0);

    // The Web UI's search box sends its query to ListWorkflowExecutions through the HTTP API
    // (GET /api/v1/namespaces/{ns}/workflows?query=…); the server's frontend serves the same route.
    const query = `WorkflowType = "retireKey" AND TicketId = "CLUSTER-MAIN" AND KmsAccount = "${account}" AND RetirementPhase = "PendingDeletion"`;
    const res = await fetch(
      `http://127.0.0.1:${c.server.ports.frontendHttp}/api/v1/namespaces/${c.namespace}/workflows?query=${encodeURIComponent(query)}&pageSize=100`,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { executions?: { execution?: { workflowId?: string } }[] };
    expect(body.executions).toHaveLength(30);
    report.push(
      `visibility (PostgreSQL): list --phase PendingDeletion → ${pending.retirements.length}, --all → ${JSON.stringify(outcomes)}; ` +
        `the Web UI's search (HTTP API, ${query}) → ${body.executions?.length ?? 0}`,
    );
  });

  it('reports decisions per second with 1 and with 3 workers on the same server (the scale-out ratio)', async () => {
    const p = pool as WorkerPool;
    const bin = patched?.bin ?? BIN;
    const run = async (workers: number, label: string) => {
      const keys = await seedKeys(admin, ACCOUNTS, mix(10, 0, 5), label);
      const began = Date.now();
      await start(keys, label, ['--soak', '1s', ...OPTIONS.slice(2)]);
      const decided = await waitDecided(keys, label, 10 * 60_000);
      const seconds = (Date.now() - began) / 1000;
      expect(wrongOutcomes(keys, decided)).toEqual([]);
      return { workers, keys: keys.length, seconds, perSecond: keys.length / seconds };
    };
    for (const name of ['w2', 'w3']) {
      const w = p.workers.get(name);
      if (w) {
        p.workers.delete(name);
        w.child.kill('SIGTERM');
        await new Promise((r) => w.child.once('exit', r));
      }
    }
    const one = await run(1, 'BENCH-1W');
    p.start('w2', bin);
    p.start('w3', bin);
    await Promise.all([...p.workers.values()].map((w) => w.ready));
    const three = await run(3, 'BENCH-3W');
    const ratio = three.perSecond / one.perSecond;
    const lines = [
      'scale-out on one Temporal server (PostgreSQL): 60 retirements (40 idle → deletion scheduled, soak 1s; 20 AWS-managed → refused)',
      `  workers   decisions/s   wall`,
      `  1         ${one.perSecond.toFixed(2).padEnd(13)} ${one.seconds.toFixed(1)}s`,
      `  3         ${three.perSecond.toFixed(2).padEnd(13)} ${three.seconds.toFixed(1)}s`,
      `  scale-out ratio (3 workers / 1): ${ratio.toFixed(2)}× on ${os.cpus().length} cores (load average ${os.loadavg()[0]?.toFixed(1)})`,
    ];
    report.push(...lines);
    fs.mkdirSync(path.resolve(__dirname, '../../bench-results'), { recursive: true });
    fs.writeFileSync(
      path.resolve(__dirname, '../../bench-results/cluster-scale-out.json'),
      `${JSON.stringify({ one, three, ratio, cores: os.cpus().length, loadAverage: os.loadavg() }, null, 2)}\n`,
    );
    expect(ratio).toBeGreaterThan(0);
  });
});
