/**
 * The workflow thread's young generation: on Node 24 a new isolate's new space grows to 128 MiB
 * unless bounded; after boundWorkflowThreadYoungGeneration a thread made afterwards stays at the
 * 16-MiB semi-spaces of Node 20 (32 MiB of new space), and a process given its own bound keeps it.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { boundWorkflowThreadYoungGeneration, WORKFLOW_SEMI_SPACE_MIB } from '../../src/worker-memory';

// Churns short-lived objects, then reports how large its new space grew (MiB).
const CHURN = `
const v8 = require('node:v8');
const { parentPort } = require('node:worker_threads');
let keep = [];
for (let i = 0; i < 3e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 2e5) keep = []; }
const ns = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
parentPort.postMessage(ns.space_size / 2 ** 20);
`;

function newSpaceOfAThread(): Promise<number> {
  return new Promise((resolve, reject) => {
    const thread = new Worker(CHURN, { eval: true });
    thread.once('message', (mib: number) => {
      void thread.terminate();
      resolve(mib);
    });
    thread.once('error', reject);
  });
}

describe('the workflow thread young generation', () => {
  it('leaves a bound given on the command line or in NODE_OPTIONS alone', () => {
    expect(boundWorkflowThreadYoungGeneration(['--max-semi-space-size=64'], '')).toBe(false);
    expect(boundWorkflowThreadYoungGeneration([], '--max-old-space-size=2048 --max-semi-space-size=32')).toBe(false);
  });

  it('bounds the new space of threads made afterwards to two 16-MiB semi-spaces', async () => {
    expect(boundWorkflowThreadYoungGeneration([], '')).toBe(true);
    const mib = await newSpaceOfAThread();
    expect(mib).toBeGreaterThan(0);
    expect(mib).toBeLessThanOrEqual(2 * WORKFLOW_SEMI_SPACE_MIB);
  });
});
