import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { SERVICES, serviceFor } from '../services/registry';
import type { AdminDefaults } from './admin/routes';
import { adminRoutes } from './admin/routes';
import type { EmulatorCore } from './emulator-core';
import { AwsError } from './errors';
import { awsJson } from './protocol/json';
import type { RequestMeta } from './caller';
import { serviceContext, type ServiceRequest } from './service';

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

async function serviceRequest(c: Context): Promise<ServiceRequest> {
  const url = new URL(c.req.url);
  return {
    method: c.req.method,
    path: url.pathname,
    query: url.searchParams,
    headers: c.req.raw.headers,
    body: await c.req.text(),
    meta: meta(c),
  };
}

/**
 * The emulator on one port: /_emulator/ (the admin API), then every AWS service of the registry
 * (services/registry.ts), found by the request's signing scope or X-Amz-Target. Each call is
 * served the same way: who is calling, the Region's availability, then the service with the call
 * prologue in its context (service.ts), and the state saved after anything that may change it.
 */
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

  app.all('*', async (c) => {
    const req = await serviceRequest(c);
    const service = serviceFor(req);
    if (!service) {
      if (req.method !== 'POST') return c.notFound();
      const target = req.headers.get('x-amz-target') ?? '';
      const error = new AwsError(
        'UnknownOperationException',
        `No service answers X-Amz-Target "${target}"; this emulator serves ${SERVICES.map((s) => s.name).join(', ')}.`,
      );
      return awsJson('1.1', '00000000-0000-0000-0000-000000000000', { error });
    }
    const who = await core.caller(req.meta);
    if (core.services.isUnavailable(service.name, who.caller.region)) {
      // No endpoint for this service in this Region: drop the connection unanswered (controls.ts).
      (c.env as HttpBindings | undefined)?.incoming?.socket.destroy();
      return new Response(null, { status: 503 });
    }
    const ctx = serviceContext(core, service, who, randomUUID());
    const response = await service.serve(ctx, req);
    if (ctx.changesState()) core.changed();
    return response;
  });

  app.onError((err, c) => c.json({ __type: 'InternalFailure', message: err.message }, 500));
  return app;
}
