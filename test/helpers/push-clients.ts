import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { TestEmulator } from './emulator';
import { TEST_ACCOUNT, TEST_REGION } from './emulator';

const config = (emu: TestEmulator, account: string, region: string) => ({
  endpoint: emu.url,
  region,
  maxAttempts: 1,
  credentials: { accessKeyId: account, secretAccessKey: 'test' },
});

/** Real SQS, EventBridge and CloudTrail clients against a test emulator, signing as `account` in `region`. */
export function pushClients(emu: TestEmulator, account = TEST_ACCOUNT, region = TEST_REGION) {
  const sqs = new SQSClient(config(emu, account, region));
  const events = new EventBridgeClient(config(emu, account, region));
  const cloudtrail = new CloudTrailClient(config(emu, account, region));
  return {
    sqs,
    events,
    cloudtrail,
    destroy(): void {
      sqs.destroy();
      events.destroy();
      cloudtrail.destroy();
    },
  };
}
