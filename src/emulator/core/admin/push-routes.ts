import { Hono } from 'hono';
import type { Context } from 'hono';
import type { EmulatorCore } from '../emulator-core';
import { AwsError } from '../errors';

async function body(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  try {
    const parsed = JSON.parse(text || '{}') as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new AwsError('ValidationException', 'The body must be a JSON object.');
}

// AWS Organizations API Reference, Organization Id: "o-" and 10 to 32 lower-case letters or digits.
const ORG_ID = /^o-[a-z0-9]{10,32}$/;

/**
 * EventBridge delivery settings and counters, and the emulator's organization (which accounts
 * `aws:PrincipalOrgID` conditions and organization trails see as members).
 */
export function pushRoutes(core: EmulatorCore): Hono {
  const app = new Hono();

  app.get('/eventbridge', (c) => c.json(core.eventDelivery.view()));

  app.post('/eventbridge', async (c) => {
    core.eventDelivery.configure(await body(c));
    return c.json(core.eventDelivery.view());
  });

  app.get('/organization', (c) => c.json(core.store.eventbridge.organization ?? {}));

  app.post('/organization', async (c) => {
    const { id, accounts, suspended, management } = await body(c);
    if (typeof id !== 'string' || !ORG_ID.test(id))
      throw new AwsError(
        'ValidationException',
        `id must be an organization id like o-a1b2c3d4e5, got ${JSON.stringify(id)}.`,
      );
    if (!Array.isArray(accounts) || !accounts.every((a) => typeof a === 'string' && /^\d{12}$/.test(a)))
      throw new AwsError('ValidationException', 'accounts must be a list of 12-digit account ids.');
    const members = [...new Set(accounts as string[])];
    if (suspended !== undefined && !(Array.isArray(suspended) && suspended.every((a) => members.includes(a as string))))
      throw new AwsError('ValidationException', 'suspended must list accounts of the organization.');
    if (management !== undefined && !members.includes(management as string))
      throw new AwsError('ValidationException', 'management must be an account of the organization.');
    core.store.eventbridge.organization = {
      id,
      accounts: members,
      ...(suspended ? { suspended: suspended as string[] } : {}),
      ...(management ? { management: management as string } : {}),
    };
    core.changed();
    return c.json(core.store.eventbridge.organization);
  });

  return app;
}
