/**
 * AWS's front door, misbehaving: an HTTP proxy in front of the emulator that delays every request
 * and, by a seeded draw, answers some of them itself with throttling or a server error, as AWS
 * does under load, each in the protocol and with the codes of the service asked (aws-faults.ts):
 * KMS and the dependency services alike. Faulted requests never reach the emulator, so its call
 * counts and CloudTrail show only what AWS would have acted on. It can also deny one KMS operation
 * on one key (AccessDeniedException), to show that a non-retryable answer fails fast. Requests that
 * are no AWS call (the emulator's admin API) pass untouched.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { identify, SERVICE_FAULTS, sendError, type ServiceFaults } from './aws-faults';
import { Prng } from './prng';

export interface FaultPlan {
  seed: number;
  throttleRate: number;
  serverErrorRate: number;
  /** Added to every request: [min, max] milliseconds. */
  latencyMs: [number, number];
  /** Answer AccessDeniedException to this KMS operation on this key (by KeyId in the body). */
  deny?: { operation: string; keyArn: string };
  /** Only these services (signing names) are faulted; absent: every one. */
  services?: readonly string[];
}

export interface FaultCounts {
  requests: number;
  throttled: number;
  serverErrors: number;
  denied: number;
  delayedMsTotal: number;
  /** By `service:Operation` (e.g. `ec2:DescribeVolumes`). */
  byOperation: Record<string, { throttled: number; serverErrors: number }>;
}

export interface FaultProxy {
  url: string;
  counts: FaultCounts;
  stop(): Promise<void>;
}

const KMS = SERVICE_FAULTS.kms as ServiceFaults;

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
      const { service, operation } = identify(req, body.toString('utf8'));
      const faults =
        service && (!plan.services || plan.services.includes(service)) ? SERVICE_FAULTS[service] : undefined;
      if (!faults) {
        forward(upstream, req, body, res);
        return;
      }
      counts.requests += 1;
      const per = (counts.byOperation[`${service}:${operation}`] ??= { throttled: 0, serverErrors: 0 });
      const delay = plan.latencyMs[0] + rng.next() * (plan.latencyMs[1] - plan.latencyMs[0]);
      const draw = rng.next();
      counts.delayedMsTotal += delay;
      setTimeout(() => {
        if (
          plan.deny &&
          service === 'kms' &&
          operation === plan.deny.operation &&
          body.toString('utf8').includes(plan.deny.keyArn)
        ) {
          counts.denied += 1;
          sendError(res, KMS, {
            status: 400,
            code: 'AccessDeniedException',
            message: `User: arn:aws:sts::000000000000:assumed-role/kms-retire/worker is not authorized to perform: kms:${operation} on resource: ${plan.deny.keyArn} because no identity-based policy allows the kms:${operation} action`,
          });
          return;
        }
        if (draw < plan.serverErrorRate) {
          counts.serverErrors += 1;
          per.serverErrors += 1;
          sendError(res, faults, faults.serverError);
          return;
        }
        if (draw < plan.serverErrorRate + plan.throttleRate) {
          counts.throttled += 1;
          per.throttled += 1;
          sendError(res, faults, faults.throttle);
          return;
        }
        forward(upstream, req, body, res, faults);
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

function forward(
  upstream: URL,
  req: http.IncomingMessage,
  body: Buffer,
  res: http.ServerResponse,
  faults: ServiceFaults = KMS,
): void {
  const out = http.request(
    { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  out.on('error', (err) =>
    sendError(res, faults, { ...faults.serverError, status: 502, message: `proxy: ${err.message}` }),
  );
  out.end(body);
}
