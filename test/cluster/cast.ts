/**
 * The keys of the cluster test, what each must come to, and how that is checked from outside: the
 * Temporal client (describe, result, search attributes), the emulator's keys, and the emulator's
 * CloudTrail (LookupEvents) for the irreversible calls made on each key.
 */
import { CloudTrailClient, LookupEventsCommand, type LookupEventsCommandOutput } from '@aws-sdk/client-cloudtrail';
import { EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import type { Client } from '@temporalio/client';
import { ROLLBACK_PROOF_USER_AGENT } from '../../src/workflows/retirement/rules/rollback';
import type { Admin } from './stack';

export type Kind = 'idle' | 'used' | 'aws-managed';

export const IRREVERSIBLE = ['DisableKey', 'ScheduleKeyDeletion', 'CancelKeyDeletion', 'EnableKey'] as const;
export type Irreversible = (typeof IRREVERSIBLE)[number];

export const EXPECT: Record<Kind, { outcome: string; finalState: string; needs: Irreversible[] }> = {
  idle: { outcome: 'scheduled', finalState: 'PendingDeletion', needs: ['DisableKey', 'ScheduleKeyDeletion'] },
  used: { outcome: 'Reenabled', finalState: 'Enabled', needs: ['DisableKey', 'EnableKey'] },
  'aws-managed': { outcome: 'Refused', finalState: 'Enabled', needs: [] },
};

const OLD = {
  creationDate: '-400d',
  trackingStartDate: '-500d',
  lastUsage: { operation: 'Decrypt', timestamp: '-200d' },
};

export interface Key {
  kind: Kind;
  arn: string;
  account: string;
  workflowId?: string;
  usedAt?: number;
}

/** `perAccount` kinds in each account, in the order given. */
export async function seedKeys(admin: Admin, accounts: readonly string[], kinds: readonly Kind[], label: string) {
  const keys: Key[] = [];
  for (const account of accounts)
    for (const kind of kinds) {
      const spec = { ...OLD, account, region: 'us-east-1', description: `${label} ${kind}` };
      const key = await admin.seedKey(kind === 'aws-managed' ? { ...spec, keyManager: 'AWS' } : spec);
      keys.push({ kind, arn: key.Arn, account });
    }
  return keys;
}

export function mix(idle: number, used: number, awsManaged: number): Kind[] {
  return [
    ...Array<Kind>(idle).fill('idle'),
    ...Array<Kind>(used).fill('used'),
    ...Array<Kind>(awsManaged).fill('aws-managed'),
  ];
}

/**
 * The keys' users: a key that is still needed is tried (Encrypt) as soon as it is disabled, and
 * gets DisabledException, which CloudTrail records and the watcher finds.
 */
export function startUsers(admin: Admin, emulatorUrl: string, keys: () => readonly Key[]): () => Promise<string[]> {
  const answers: string[] = [];
  const clients = new Map<string, KMSClient>();
  const app = (account: string): KMSClient => {
    let c = clients.get(account);
    if (!c) {
      c = new KMSClient({
        endpoint: emulatorUrl,
        region: 'us-east-1',
        maxAttempts: 1,
        credentials: { accessKeyId: account, secretAccessKey: 'emulator' },
      });
      clients.set(account, c);
    }
    return c;
  };
  let running = true;
  const loop = (async () => {
    while (running) {
      const waiting = keys().filter((k) => k.kind === 'used' && k.usedAt === undefined);
      for (const account of new Set(waiting.map((k) => k.account))) {
        const disabled = new Set(
          (await admin.keys(account)).filter((k) => k.KeyState === 'Disabled').map((k) => k.Arn),
        );
        for (const key of waiting.filter((k) => k.account === account && disabled.has(k.arn))) {
          key.usedAt = Date.now();
          answers.push(
            await app(account)
              .send(new EncryptCommand({ KeyId: key.arn, Plaintext: Buffer.from('still needed') }))
              .then(
                () => 'ok',
                (e: Error) => e.name,
              ),
          );
        }
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  })();
  return async () => {
    running = false;
    await loop;
    for (const c of clients.values()) c.destroy();
    return answers;
  };
}

export interface Decided {
  outcome: string;
  reason?: string;
}

/** A retirement has decided: a closed workflow with its outcome, or one watching its key's pending deletion. */
export async function decision(client: Client, key: Key): Promise<Decided | undefined> {
  const handle = client.workflow.getHandle(key.workflowId ?? '');
  const d = await handle.describe();
  if (d.status.name === 'COMPLETED') {
    const result = (await handle.result()) as { outcome: string; reason?: string };
    return { outcome: result.outcome, reason: result.reason };
  }
  if (d.status.name !== 'RUNNING') return { outcome: `workflow ${d.status.name}` };
  const phase = d.searchAttributes.RetirementPhase?.[0];
  return phase === 'PendingDeletion' ? { outcome: 'scheduled' } : undefined;
}

/** Visibility's count of the decided retirements of a ticket (closed, or watching a pending deletion). */
export async function decidedCount(client: Client, ticket: string): Promise<number> {
  const [closed, pending] = await Promise.all([
    client.workflow.count(`TicketId = "${ticket}" AND ExecutionStatus != "Running"`),
    client.workflow.count(
      `TicketId = "${ticket}" AND ExecutionStatus = "Running" AND RetirementPhase = "PendingDeletion"`,
    ),
  ]);
  return closed.count + pending.count;
}

export interface KeyCalls {
  /** Irreversible calls AWS acted on, in order. */
  accepted: Irreversible[];
  /** The kinds of call accepted (a repeat of an accepted call changes nothing), in IRREVERSIBLE's order. */
  effective: Irreversible[];
  /** Irreversible calls that reached AWS, failed ones included. */
  attempts: number;
}

/**
 * Every irreversible call on the keys, from each account's CloudTrail (LookupEvents by event name).
 * Preflight's rollback proof (EnableKey on an Enabled key, CancelKeyDeletion on a key not pending
 * deletion) changes nothing; its records carry the proof's User-Agent mark and are left out.
 */
export async function irreversibleCalls(emulatorUrl: string, keys: readonly Key[]): Promise<Map<string, KeyCalls>> {
  const out = new Map<string, KeyCalls>(keys.map((k) => [k.arn, { accepted: [], effective: [], attempts: 0 }]));
  const seen: { time: number; seq: string; arn: string; name: Irreversible; failed: boolean }[] = [];
  for (const account of new Set(keys.map((k) => k.account))) {
    const trail = new CloudTrailClient({
      endpoint: emulatorUrl,
      region: 'us-east-1',
      maxAttempts: 5,
      credentials: { accessKeyId: account, secretAccessKey: 'emulator' },
    });
    try {
      for (const name of IRREVERSIBLE) {
        let token: string | undefined;
        do {
          const page: LookupEventsCommandOutput = await trail.send(
            new LookupEventsCommand({
              LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: name }],
              MaxResults: 50,
              NextToken: token,
            }),
          );
          for (const event of page.Events ?? []) {
            const arn = event.Resources?.map((r) => r.ResourceName).find((n) => n !== undefined && out.has(n));
            if (!arn) continue;
            const record = JSON.parse(event.CloudTrailEvent ?? '{}') as { errorCode?: string; userAgent?: string };
            if (record.userAgent?.includes(ROLLBACK_PROOF_USER_AGENT)) continue;
            seen.push({
              time: event.EventTime?.getTime() ?? 0,
              seq: event.EventId ?? '',
              arn,
              name,
              failed: record.errorCode !== undefined,
            });
          }
          token = page.NextToken;
        } while (token);
      }
    } finally {
      trail.destroy();
    }
  }
  seen.sort((a, b) => a.time - b.time || a.seq.localeCompare(b.seq));
  for (const call of seen) {
    const calls = out.get(call.arn);
    if (!calls) continue;
    calls.attempts += 1;
    if (call.failed) continue;
    calls.accepted.push(call.name);
  }
  // CloudTrail's times are too coarse to order two calls of one second; the key's final state shows the order.
  for (const calls of out.values()) calls.effective = IRREVERSIBLE.filter((op) => calls.accepted.includes(op));
  return out;
}

/** Keys whose state changes differ from what their outcome needs, with what was done. */
export function wrongCalls(keys: readonly Key[], calls: Map<string, KeyCalls>): string[] {
  const wrong: string[] = [];
  for (const key of keys) {
    const c = calls.get(key.arn);
    const needs = IRREVERSIBLE.filter((op) => EXPECT[key.kind].needs.includes(op));
    if (!c || c.effective.join(',') !== needs.join(','))
      wrong.push(`${key.kind} ${key.arn}: needed [${needs.join(', ')}], made [${c?.accepted.join(', ') ?? ''}]`);
  }
  return wrong;
}
