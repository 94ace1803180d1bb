import { randomUUID } from 'node:crypto';
import type { HttpBindings } from '@hono/node-server';
import { AwsError } from '../core/errors';
import type { ServiceContext, ServiceHost, ServiceModule, ServiceRequest } from './context';
import { dynamodb } from './dynamodb/service';
import { ec2 } from './ec2/service';
import { eks } from './eks/service';
import { lambda } from './lambda/service';
import { logs } from './logs/service';
import { rds } from './rds/service';
import { s3 } from './s3/service';
import { secretsmanager } from './secretsmanager/service';
import { sns } from './sns/service';

/** The emulated services by SigV4 signing name (the credential scope's service). */
const SERVICES: Record<string, ServiceModule> = Object.fromEntries(
  [dynamodb, ec2, rds, s3, secretsmanager, lambda, logs, sns, eks].map((s) => [s.name, s]),
);

// JSON protocols name their service in X-Amz-Target too: the fallback when a request is unsigned.
const TARGETS: [string, string][] = [
  ['DynamoDB_20120810.', 'dynamodb'],
  ['secretsmanager.', 'secretsmanager'],
  ['Logs_20140328.', 'logs'],
];

const SCOPE = /Credential=[^/,\s]+\/\d{8}\/[^/,\s]+\/([^/,\s]+)\/aws4_request/;

/** The emulated service a request is for: its credential scope's service name, else its X-Amz-Target. */
export function serviceOf(authorization: string | undefined, target: string | undefined): ServiceModule | undefined {
  const scoped = authorization ? SCOPE.exec(authorization)?.[1] : undefined;
  if (scoped) return SERVICES[scoped];
  const byTarget = TARGETS.find(([prefix]) => target?.startsWith(prefix));
  return byTarget ? SERVICES[byTarget[1]] : undefined;
}

/**
 * Serves a request for an emulated service, or answers undefined when it is for another one
 * (KMS, CloudTrail, the tagging API, STS, the admin API). Every operation is counted, passes the
 * fault table and the denials first (ServiceContext.begin).
 */
export async function serveService(host: ServiceHost, request: Request, env: unknown): Promise<Response | undefined> {
  const authorization = request.headers.get('authorization') ?? undefined;
  const service = serviceOf(authorization, request.headers.get('x-amz-target') ?? undefined);
  if (!service) return undefined;
  const { caller, now } = await host.caller({
    authorization,
    sourceIPAddress: '127.0.0.1',
    userAgent: request.headers.get('user-agent') ?? '',
  });
  if (host.services.isUnavailable(service.name, caller.region)) {
    // No endpoint for this service in this Region: drop the connection unanswered (controls.ts).
    (env as HttpBindings | undefined)?.incoming?.socket.destroy();
    return new Response(null, { status: 503 });
  }
  const url = new URL(request.url);
  const req: ServiceRequest = {
    method: request.method,
    path: url.pathname,
    query: url.searchParams,
    headers: request.headers,
    body: await request.text(),
  };
  let reads = true;
  const ctx: ServiceContext = {
    store: host.store,
    now,
    caller,
    requestId: randomUUID(),
    async begin(operation, action = operation) {
      host.calls.record(operation, caller.account, caller.region);
      reads = /^(Describe|List|Get|Head)/.test(operation);
      await host.faults.apply(operation);
      const denied = host.services.denial(caller, service.name, action);
      if (denied) throw new AwsError(service.denied.code, denied, service.denied.status);
    },
  };
  const response = await service.serve(ctx, req);
  // Reads change nothing worth saving (what they tidy, e.g. expired secrets, follows from the clock).
  if (!reads) host.changed();
  return response;
}
