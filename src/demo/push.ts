/**
 * The demo with push on (`kms-retire demo --push`): what `kms-retire events setup` makes, in the
 * emulator (a rule on the default bus in ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS, the queue
 * and its policy), a trail that logs, and the worker's intake long-polling the queue. The watcher
 * then sweeps less often, so that what re-enables the still-used key is visibly the pushed event.
 */
import { CreateTrailCommand, CloudTrailClient, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Client } from '@temporalio/client';
import { eventsClients } from '../push/clients';
import { startIntake } from '../push/intake';
import { queueUrls } from '../push/queue-urls';
import { applySetup, planSetup } from '../push/setup';
import type { RetirementStatus } from '../workflows/retirement/messages';

export async function startDemoPush(
  endpoint: string,
  account: string,
  region: string,
  client: Client,
): Promise<{ queueUrl: string; stop(): Promise<void> }> {
  const credentials = { accessKeyId: account, secretAccessKey: 'demo' };
  const clients = await eventsClients({ endpoint, credentials });
  const trails = new CloudTrailClient({ endpoint, region, credentials });
  const sqs = new SQSClient({ endpoint, region, credentials });
  try {
    const layout = { central: account, accounts: [account], regions: [region] };
    await applySetup(await planSetup(clients, layout));
    await trails.send(
      new CreateTrailCommand({ Name: 'demo-management', S3BucketName: 'demo-trail', IsMultiRegionTrail: true }),
    );
    await trails.send(new StartLoggingCommand({ Name: 'demo-management' }));
    const [queueUrl] = await queueUrls(clients, layout);
    if (!queueUrl) throw new Error('events setup made no queue');
    const intake = startIntake({ sqs, queueUrl, client, waitTimeSeconds: 20 });
    return {
      queueUrl,
      async stop() {
        await intake.stop();
        sqs.destroy();
        trails.destroy();
        clients.destroy();
      },
    };
  } catch (err) {
    sqs.destroy();
    trails.destroy();
    clients.destroy();
    throw err;
  }
}

/** "re-enabled 1.2 s after its first refused call (pushed by EventBridge)", from a retirement's status. */
export function reenableDelay(s: RetirementStatus | undefined): string | undefined {
  const first = s?.usageEvents[0];
  const done = s?.timeline.find((t) => t.phase === 'Done');
  if (!first || !done) return undefined;
  const seconds = (Date.parse(done.at) - Date.parse(first.eventTime)) / 1000;
  const pushed = s.timeline.some((t) => t.note.startsWith('EventBridge:'));
  return `re-enabled ${seconds.toFixed(1)} s after its first refused call (${pushed ? 'pushed by EventBridge' : 'found by a LookupEvents sweep'})`;
}
