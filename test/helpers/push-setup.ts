import { CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import type { RuleState } from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import type { pushClients } from './push-clients';

type Clients = ReturnType<typeof pushClients>;

/** The pattern push detection uses: KMS API calls via CloudTrail. */
export const KMS_PATTERN = JSON.stringify({ source: ['aws.kms'], 'detail-type': ['AWS API Call via CloudTrail'] });

/** A queue whose policy lets EventBridge send to it (EventBridge User Guide, "Amazon SQS permissions"). */
export async function eventQueue(
  clients: Clients,
  name: string,
  sourceArn?: string,
): Promise<{ url: string; arn: string }> {
  const url = (await clients.sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const arn = (await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] })))
    .Attributes!.QueueArn!;
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: arn,
        ...(sourceArn ? { Condition: { ArnEquals: { 'aws:SourceArn': sourceArn } } } : {}),
      },
    ],
  };
  await clients.sqs.send(
    new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: JSON.stringify(policy) } }),
  );
  return { url, arn };
}

export async function loggingTrail(clients: Clients, name = 'management', multiRegion = true): Promise<void> {
  await clients.cloudtrail.send(
    new CreateTrailCommand({ Name: name, S3BucketName: 'trail-bucket', IsMultiRegionTrail: multiRegion }),
  );
  await clients.cloudtrail.send(new StartLoggingCommand({ Name: name }));
}

/** A rule on the default bus sending KMS CloudTrail events to a target. */
export async function kmsRule(
  clients: Clients,
  name: string,
  state: RuleState,
  targetArn: string,
  pattern = KMS_PATTERN,
): Promise<string> {
  const { RuleArn } = await clients.events.send(
    new PutRuleCommand({ Name: name, State: state, EventPattern: pattern }),
  );
  await clients.events.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'target', Arn: targetArn }] }));
  return RuleArn!;
}

export interface DeliveredEvent {
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  region: string;
  time: string;
  resources: string[];
  detail: Record<string, unknown> & { eventName: string; errorCode?: string; resources?: { ARN: string }[] };
}

/** Every event body on the queue within `waitMs` of real time (long polls until nothing more arrives). */
export async function drain(clients: Clients, url: string, waitSeconds = 1): Promise<DeliveredEvent[]> {
  const out: DeliveredEvent[] = [];
  for (;;) {
    const { Messages } = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: waitSeconds,
        VisibilityTimeout: 600,
      }),
    );
    if (!Messages?.length) return out;
    out.push(...Messages.map((m) => JSON.parse(m.Body!) as DeliveredEvent));
  }
}
