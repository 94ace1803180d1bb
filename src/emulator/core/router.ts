import { Hono } from 'hono';
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { AdminDefaults } from './admin/routes';
import { adminRoutes } from './admin/routes';
import type { EmulatorCore, RequestMeta, ServiceAnswer } from './emulator-core';
import { AwsError } from './errors';
import type { HostedAnswer } from './service';
import { handleEvents } from '../services/events/service';
import { handleSqs } from '../services/sqs/service';
import { serveService } from '../services/dispatch';
import { handleSts } from '../services/sts/service';

const KMS_TARGET = 'TrentService.';
// CloudTrail's JSON 1.1 target prefix (CloudTrail service model: awsJson1_1, CloudTrail_20131101).
const CLOUDTRAIL_TARGET = /(?:^|\.)CloudTrail_20131101\.(\w+)$/;
// The Resource Groups Tagging API's JSON 1.1 target prefix (its service model: ResourceGroupsTaggingAPI_20170126).
const TAGGING_TARGET = 'ResourceGroupsTaggingAPI_20170126.';
// SQS's AWS JSON 1.0 target prefix (SQS service model: awsJson1_0, AmazonSQS).
const SQS_TARGET = 'AmazonSQS.';
// EventBridge's AWS JSON 1.1 target prefix (EventBridge service model: AWSEvents).
const EVENTS_TARGET = 'AWSEvents.';

function meta(c: Context): RequestMeta {
  let address = '127.0.0.1';
  try {
    address = getConnInfo(c).remote.address ?? address;
  } catch {
    // app.request() in tests has no socket.
  }
  return {
    authorization: c.req.header('authorization'),
    sourceIPAddress: c.req.header('x-forwarded-for')?.split(',')[0]?.trim() ?? address,
    userAgent: c.req.header('user-agent') ?? '',
  };
}

function answer(c: Context, out: ServiceAnswer): Response {
  const headers: Record<string, string> = {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-RequestId': out.requestId,
  };
  if (out.errorType) headers['x-amzn-ErrorType'] = out.errorType;
  return c.body(JSON.stringify(out.body), out.status as 200, headers);
}

function hosted(c: Context, out: HostedAnswer): Response {
  return c.body(JSON.stringify(out.body), out.status as 200, { ...out.headers, 'x-amzn-RequestId': out.requestId });
}

function parseJson(text: string): Record<string, unknown> {
  if (!text.trim()) return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new AwsError('SerializationException', 'The request body is not valid JSON.');
  }
}

/** KMS, CloudTrail and the tagging API over AWS JSON 1.1, STS over the Query protocol, and /_emulator/ on one port. */
export function createApp(core: EmulatorCore, defaults: AdminDefaults): Hono {
  const app = new Hono();
  app.route('/_emulator', adminRoutes(core, defaults));
  app.all('/_emulator/*', (c) =>
    c.json(
      {
        __type: 'NotFound',
        message: `No emulator endpoint ${c.req.method} ${c.req.path}: try POST reset|keys|clock|faults|principals|guardrails|quotas|services|resources|eventbridge|organization, GET calls|clock|faults|guardrails|quotas|services|resources|eventbridge|organization|health.`,
      },
      404,
    ),
  );

  // DynamoDB, EC2, RDS, S3, … (services/dispatch.ts): by the SigV4 scope's service, any method.
  app.use('*', async (c, next) => (await serveService(core, c.req.raw, c.env)) ?? next());

  app.post('*', async (c) => {
    const target = c.req.header('x-amz-target') ?? '';
    const contentType = c.req.header('content-type') ?? '';
    const text = await c.req.text();
    try {
      if (target.startsWith(KMS_TARGET))
        return answer(c, await core.kms(target.slice(KMS_TARGET.length), parseJson(text), meta(c)));
      const trail = CLOUDTRAIL_TARGET.exec(target);
      if (trail) return answer(c, await core.cloudtrail(trail[1]!, parseJson(text), meta(c)));
      if (target.startsWith(TAGGING_TARGET))
        return answer(c, await core.tagging(target.slice(TAGGING_TARGET.length), parseJson(text), meta(c)));
      if (target.startsWith(SQS_TARGET))
        return hosted(
          c,
          await handleSqs(core, target.slice(SQS_TARGET.length), parseJson(text), meta(c), c.req.header('host')),
        );
      if (target.startsWith(EVENTS_TARGET))
        return hosted(c, await handleEvents(core, target.slice(EVENTS_TARGET.length), parseJson(text), meta(c)));
      if (contentType.startsWith('application/x-www-form-urlencoded')) {
        const sts = await handleSts(core, new URLSearchParams(text), meta(c));
        return c.body(sts.body, sts.status as 200, { 'content-type': 'text/xml', 'x-amzn-RequestId': sts.requestId });
      }
      throw new AwsError(
        'UnknownOperationException',
        `No service answers X-Amz-Target "${target}"; this emulator serves TrentService (KMS), CloudTrail_20131101, ResourceGroupsTaggingAPI_20170126, AmazonSQS, AWSEvents and STS.`,
      );
    } catch (err) {
      if (err instanceof AwsError) return answer(c, core.fail('00000000-0000-0000-0000-000000000000', err));
      throw err;
    }
  });

  app.onError((err, c) => c.json({ __type: 'InternalFailure', message: err.message }, 500));
  return app;
}
