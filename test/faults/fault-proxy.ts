/**
 * AWS's front door, misbehaving: an HTTP proxy in front of the emulator that delays every request
 * and, by a seeded draw, answers some of them itself with throttling or a server error, as AWS
 * does under load. Faulted requests never reach the emulator, so its call counts and CloudTrail
 * show only what AWS would have acted on. It can also deny one operation on one key
 * (AccessDeniedException), to show that a non-retryable answer fails fast.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Prng } from './prng';

export interface FaultPlan {
  seed: number;
  throttleRate: number;
  serverErrorRate: number;
  /** Added to every request: [min, max] milliseconds. */
  latencyMs: [number, number];
  /** Answer AccessDeniedException to this operation on this key (by KeyId in the body). */
  deny?: { operation: string; keyArn: string };
}

export interface FaultCounts {
  requests: number;
  throttled: number;
  serverErrors: number;
  denied: number;
  delayedMsTotal: number;
  byOperation: Record<string, { throttled: number; serverErrors: number }>;
}

export interface FaultProxy {
  url: string;
  counts: FaultCounts;
  stop(): Promise<void>;
}

// AWS JSON 1.1 error bodies, as KMS and CloudTrail send them. Throttling: HTTP 400
// ThrottlingException "Rate exceeded"; KMS's own server fault: HTTP 500 KMSInternalException.
function awsError(res: http.ServerResponse, status: number, type: string, message: string): void {
  const body = JSON.stringify({ __type: type, message });
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': `fault-${Date.now()}`,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

export async function startFaultProxy(target: string, plan: FaultPlan): Promise<FaultProxy> {
  const rng = new Prng(plan.seed);
  const upstream = new URL(target);
  const counts: FaultCounts = {
    requests: 0,
    throttled: 0,
    serverErrors: 0,
    denied: 0,
    delayedMsTotal: 0,
    byOperation: {},
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.slice(target.indexOf('.') + 1) || 'unknown';
      counts.requests += 1;
      const per = (counts.byOperation[operation] ??= { throttled: 0, serverErrors: 0 });
      const delay = plan.latencyMs[0] + rng.next() * (plan.latencyMs[1] - plan.latencyMs[0]);
      const draw = rng.next();
      counts.delayedMsTotal += delay;
      setTimeout(() => {
        if (plan.deny && operation === plan.deny.operation && body.toString('utf8').includes(plan.deny.keyArn)) {
          counts.denied += 1;
          awsError(
            res,
            400,
            'AccessDeniedException',
            `User: arn:aws:sts::000000000000:assumed-role/kms-retire/worker is not authorized to perform: kms:${operation} on resource: ${plan.deny.keyArn} because no identity-based policy allows the kms:${operation} action`,
          );
          return;
        }
        if (draw < plan.serverErrorRate) {
          counts.serverErrors += 1;
          per.serverErrors += 1;
          awsError(
            res,
            500,
            operation === 'LookupEvents' ? 'InternalFailure' : 'KMSInternalException',
            'We encountered an internal error. Please try again.',
          );
          return;
        }
        if (draw < plan.serverErrorRate + plan.throttleRate) {
          counts.throttled += 1;
          per.throttled += 1;
          awsError(res, 400, 'ThrottlingException', 'Rate exceeded');
          return;
        }
        forward(upstream, req, body, res);
      }, delay);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function forward(upstream: URL, req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): void {
  const out = http.request(
    { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  out.on('error', (err) => awsError(res, 502, 'ServiceUnavailableException', `proxy: ${err.message}`));
  out.end(body);
}
