/**
 * Upgrading workers must not break retirements already running: histories recorded by earlier
 * code replay against today's workflows without a non-determinism error (see the `patched` calls).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from './bundle-cache';

const dir = path.resolve(__dirname, '../fixtures/histories');

describe('replaying histories of earlier versions', () => {
  for (const name of ['retire-key-before-gate-deleted', 'retire-key-before-gate-reenabled']) {
    it(`${name} replays on today's code`, async () => {
      const history = temporal.api.history.v1.History.decode(fs.readFileSync(path.join(dir, `${name}.bin`)));
      // The recording passed Preflight straight to TagResource: no disabling gate in it.
      const scheduled = (history.events ?? []).flatMap(
        (e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? [],
      );
      expect(scheduled).toContain('tagResource');
      expect(scheduled).not.toContain('requestDisablingSlot');
      await expect(
        Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, `replay-${name}`),
      ).resolves.toBeUndefined();
    });
  }

  it("a retirement with ticket updates (patch ticket-updates, callback down) replays on today's code", async () => {
    const history = temporal.api.history.v1.History.decode(
      fs.readFileSync(path.join(dir, 'retire-key-ticket-updates-deleted.bin')),
    );
    const scheduled = (history.events ?? []).flatMap(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? [],
    );
    expect(scheduled.filter((n) => n === 'postTicketUpdate')).toHaveLength(4);
    await expect(
      Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, 'replay-ticket-updates'),
    ).resolves.toBeUndefined();
  });

  it("a retirement re-enabled on a pushed use (the pushedUse update) replays on today's code", async () => {
    const history = temporal.api.history.v1.History.decode(
      fs.readFileSync(path.join(dir, 'retire-key-pushed-use-reenabled.bin')),
    );
    const events = history.events ?? [];
    expect(events.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length).toBe(1);
    expect(events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? [])).toContain(
      'enableKey',
    );
    await expect(
      Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, 'replay-pushed-use'),
    ).resolves.toBeUndefined();
  });

  it("a retirement refused CannotRollBack (patches policy-file, stack-owner, key-consumers, rollback-proof) replays on today's code", async () => {
    const history = temporal.api.history.v1.History.decode(
      fs.readFileSync(path.join(dir, 'retire-key-cannot-roll-back.bin')),
    );
    const scheduled = (history.events ?? []).flatMap(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? [],
    );
    expect(scheduled).toEqual(
      expect.arrayContaining([
        'workerPolicy',
        'getKeyPolicy',
        'findStackOwner',
        'proveEnableKey',
        'proveCancelKeyDeletion',
      ]),
    );
    expect(scheduled).not.toContain('disableKey');
    expect(scheduled).not.toContain('tagResource');
    await expect(
      Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, 'replay-cannot-roll-back'),
    ).resolves.toBeUndefined();
  });

  it("a watcher run from before batching replays on today's code", async () => {
    const history = temporal.api.history.v1.History.decode(
      fs.readFileSync(path.join(dir, 'watcher-before-batching.bin')),
    );
    const events = history.events ?? [];
    expect(events.filter((e) => e.workflowExecutionSignaledEventAttributes).length).toBe(120);
    // Three sweeps, one delivery to all 120 keys at the first: today's code would send 100 and
    // deliver to the other 20 at the second sweep.
    const scheduled = events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    expect(scheduled.filter((n) => n === 'lookupKmsEvents')).toHaveLength(3);
    expect(scheduled.filter((n) => n === 'deliverTrailReports')).toHaveLength(1);
    await expect(
      Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, 'replay-watcher'),
    ).resolves.toBeUndefined();
  });

  it("a watcher run from before per-key coverage (keys with 2 s and 24 h lags) replays on today's code", async () => {
    const history = temporal.api.history.v1.History.decode(
      fs.readFileSync(path.join(dir, 'watcher-before-per-key-coverage.bin')),
    );
    const events = history.events ?? [];
    // Recorded with a 3-s report interval: the old rules reported every key every 3 s, with the
    // coverage of the largest lag; today's would send the 2-s key its soak end instead.
    // One patch marker: watcher-batching; watcher-per-key-coverage did not exist yet.
    expect(events.filter((e) => e.markerRecordedEventAttributes).length).toBe(1);
    const scheduled = events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    expect(scheduled.filter((n) => n === 'deliverTrailReports').length).toBeGreaterThan(2);
    await expect(
      Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, 'replay-watcher-per-key'),
    ).resolves.toBeUndefined();
  });

  it.each([
    ['retire-key-dependents-deleted', 'an attached volume accepted by name, probes re-run before deletion'],
    ['retire-key-dependents-table-reenabled', 'a DynamoDB table watched, found inaccessible'],
  ])("%s (patch dependency-probes: %s) replays on today's code", async (name) => {
    const history = temporal.api.history.v1.History.decode(fs.readFileSync(path.join(dir, `${name}.bin`)));
    const scheduled = (history.events ?? []).flatMap(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? [],
    );
    const probes = scheduled.filter((n) => n === 'probeDependents').length;
    expect(probes).toBe(name.endsWith('deleted') ? 22 : 11);
    if (name.endsWith('reenabled')) expect(scheduled).toContain('describeTableEncryption');
    await expect(
      Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, `replay-${name}`),
    ).resolves.toBeUndefined();
  });

  it("retire-key-inventory-refused (patch dependents-inventory: one check per step, refused at the re-check) replays on today's code", async () => {
    const history = temporal.api.history.v1.History.decode(
      fs.readFileSync(path.join(dir, 'retire-key-inventory-refused.bin')),
    );
    const events = history.events ?? [];
    const scheduled = events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    // Two checks (preflight, before deletion), one activity each; no per-probe activities.
    expect(scheduled.filter((n) => n === 'checkDependents')).toHaveLength(2);
    expect(scheduled).not.toContain('probeDependents');
    expect(scheduled).toContain('enableKey');
    await expect(
      Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, 'replay-inventory'),
    ).resolves.toBeUndefined();
  });
});
