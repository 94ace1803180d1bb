import { Hono } from 'hono';
import type { Context } from 'hono';
import type { EmulatorCore } from '../emulator-core';
import { AwsError } from '../errors';
import type { FaultTable } from '../faults';
import type { PrincipalSpec } from './principals';
import { pushRoutes } from './push-routes';
import { registerPrincipal } from './principals';
import { seedKey, seededView } from './seed-key';
import { resourceView, seedResources } from './resources';

export interface AdminDefaults {
  account: string;
  region: string;
}

async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (!text.trim()) return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new AwsError('ValidationException', 'The body must be a JSON object.');
}

/**
 * The emulator's own endpoints (docs/architecture.md, Contracts): reset, keys, clock, faults, calls, and
 * principals. Errors come back as `{"__type", "message"}` with status 400.
 */
export function adminRoutes(core: EmulatorCore, defaults: AdminDefaults): Hono {
  const app = new Hono();

  app.onError((err, c) => {
    if (err instanceof AwsError) return c.json(err.toBody(), err.status as 400);
    return c.json({ __type: 'InternalFailure', message: err.message }, 500);
  });

  app.get('/health', (c) => c.json({ ok: true }));

  app.post('/reset', (c) => {
    core.reset();
    return c.json({ ok: true });
  });

  app.post('/keys', async (c) => {
    const now = await core.clock.now();
    const key = seedKey(core.store, await jsonBody(c), now, defaults);
    core.changed();
    return c.json({ KeyMetadata: seededView(key) });
  });

  app.get('/keys', (c) => {
    const { account, region } = c.req.query();
    const keys = [...core.store.keys.values()].filter(
      (k) => (!account || k.account === account) && (!region || k.region === region),
    );
    return c.json({ Keys: keys.map(seededView) });
  });

  app.get('/clock', async (c) => {
    const now = await core.clock.now();
    return c.json({ now: new Date(now).toISOString(), nowMs: now, offsetMs: core.clock.offsetMs });
  });

  app.post('/clock', async (c) => {
    const now = await core.clock.apply(await jsonBody(c));
    core.changed();
    return c.json({ now: new Date(now).toISOString(), nowMs: now, offsetMs: core.clock.offsetMs });
  });

  app.get('/faults', (c) => c.json(core.faults.get()));

  app.post('/faults', async (c) => {
    core.faults.set((await jsonBody(c)) as FaultTable);
    return c.json(core.faults.get());
  });

  app.get('/calls', (c) => c.json(core.calls.snapshot()));

  // KMS request quotas per account and Region (kms-quotas.ts): {"DisableKey": 5, …}, or "aws".
  app.get('/quotas', (c) => c.json({ Quotas: core.kmsQuotas.get() }));

  app.post('/quotas', async (c) => {
    const text = (await c.req.text()).trim();
    let body: unknown;
    try {
      body = text === '' ? {} : (JSON.parse(text) as unknown);
    } catch {
      throw new AwsError('ValidationException', 'quotas: the body must be JSON: {"DisableKey": 5} or "aws".');
    }
    return c.json({ Quotas: core.kmsQuotas.set(body) });
  });

  // kms:TrailingDaysWithoutKeyUsage, one Deny statement per account (guardrails.ts).
  // …and IAM-like Deny statements on the emulated services' actions (services/controls.ts).
  app.get('/guardrails', (c) => c.json({ Guardrails: core.guardrails.list(), Denials: core.services.listDenials() }));

  app.post('/guardrails', async (c) => {
    const body = await jsonBody(c);
    if ('deny' in body) return c.json({ Denials: core.services.setDenial(body) });
    return c.json({ Guardrails: core.guardrails.set(body) });
  });

  // Services unavailable in a Region (services/controls.ts).
  app.get('/services', (c) => c.json({ Unavailable: core.services.listUnavailable() }));

  app.post('/services', async (c) => c.json({ Unavailable: core.services.setUnavailable(await jsonBody(c)) }));

  // The emulated services' resources, seeded without their own API calls (services/seeding.ts).
  app.post('/resources', async (c) => {
    const made = seedResources(core.store, await jsonBody(c), await core.clock.now(), defaults);
    core.changed();
    return c.json({ Resources: made.map(resourceView) });
  });

  app.get('/resources', (c) => {
    const { type, account, region } = c.req.query();
    const found = [...core.store.resources.values()].filter(
      (r) => (!type || r.type === type) && (!account || r.account === account) && (!region || r.region === region),
    );
    return c.json({ Resources: found.map(resourceView) });
  });

  app.post('/principals', async (c) => {
    const principal = registerPrincipal(
      core.store,
      (await jsonBody(c)) as unknown as PrincipalSpec,
      await core.clock.now(),
    );
    core.changed();
    return c.json(principal);
  });

  app.route('/', pushRoutes(core));

  return app;
}
