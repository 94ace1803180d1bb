/** An emulator, a ClientFactory pointed at it, and the probe activities on top: each probe test's setup. */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createDependentsActivities } from '../../../src/activities/dependents';
import { Pacer } from '../../../src/aws/pacing/pacer';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';
import type { ClientFactory } from '../../../src/aws/client-factory';

export interface ProbeFixture {
  emu: TestEmulator;
  clients: ClientFactory;
  probes: ReturnType<typeof createDependentsActivities>;
}

/** Registers the hooks and returns the fixture, filled in once beforeAll has run. */
export function probeFixture(): ProbeFixture {
  const fixture = {} as ProbeFixture;
  beforeAll(async () => {
    fixture.emu = await startTestEmulator();
    fixture.clients = fixture.emu.factory();
    // A pacer that never waits: the tests look at what is found, the bench at what it costs.
    fixture.probes = createDependentsActivities({
      clients: fixture.clients,
      pacer: new Pacer(Date.now, async () => {}),
      probeRatePerSecond: 1000,
    });
  });
  afterAll(async () => {
    await fixture.emu?.stop();
  });
  beforeEach(async () => fixture.emu.admin.reset());
  return fixture;
}

/** The failure a promise rejects with (fails the test if it resolves). */
export async function failureOf(promise: Promise<unknown>): Promise<Error & { type?: string; nonRetryable?: boolean }> {
  try {
    await promise;
  } catch (err) {
    return err as Error & { type?: string; nonRetryable?: boolean };
  }
  throw new Error('expected the probe to fail, but it answered');
}
