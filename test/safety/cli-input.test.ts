import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { main } from '../../src/cli/main';
import { devServerConnections, uniqueTaskQueue } from '../helpers/temporal';
import { BAD_KEYS, BAD_OPTIONS, GOOD_ARN } from './bad-inputs';

/**
 * The CLI in-process (`main(argv)`) against the suite's dev server: every bad key and option of the
 * shared table ends with exit code 2 and a message naming the mistake, before anything is
 * contacted; afterwards no workflow exists on the CLI's task queue.
 */
describe('CLI input safety', () => {
  const taskQueue = uniqueTaskQueue('cli-safety');
  const saved = { ...process.env };
  const stderr: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  let temporal: Awaited<ReturnType<typeof devServerConnections>>;

  beforeAll(async () => {
    Object.assign(process.env, {
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: inject('temporalNamespace'),
      KMS_RETIRE_TASK_QUEUE: taskQueue,
    });
    delete process.env.TEMPORAL_API_KEY;
    process.stderr.write = (chunk: string | Uint8Array) => {
      stderr.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    };
    temporal = await devServerConnections();
  });
  afterAll(async () => {
    process.stderr.write = write;
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
    await temporal?.close();
  });

  async function run(args: string[]): Promise<{ code: number; err: string }> {
    stderr.length = 0;
    const code = await main(['node', 'kms-retire', ...args]);
    return { code, err: stderr.join('') };
  }

  it('refuses every bad key with exit 2, for start and for approve / reject / cancel / plan', async () => {
    for (const bad of BAD_KEYS) {
      for (const verb of [['start'], ['approve'], ['reject'], ['cancel', '--reason', 'test'], ['plan']]) {
        const { code, err } = await run([...verb, bad.value]);
        expect(code, `${verb[0]} ${bad.name}`).toBe(2);
        expect(err, `${verb[0]} ${bad.name}`).toMatch(bad.says);
      }
    }
  });

  it('refuses every out-of-range window and duration with exit 2, naming the flag', async () => {
    for (const bad of BAD_OPTIONS) {
      const { code, err } = await run(['start', GOOD_ARN, ...bad.flags]);
      expect(code, bad.name).toBe(2);
      expect(err, bad.name).toMatch(bad.cliSays ?? bad.says);
    }
    // A key id without --region, and a malformed --region / --account, are usage errors too.
    expect((await run(['start', GOOD_ARN.split('/')[1] as string])).code).toBe(2);
    expect((await run(['start', GOOD_ARN.split('/')[1] as string, '--region', 'mars'])).err).toMatch(
      /--region "mars" is not a Region name/,
    );
    expect(
      (await run(['start', GOOD_ARN.split('/')[1] as string, '--region', 'us-east-1', '--account', '12'])).err,
    ).toMatch(/--account "12" is not a 12-digit/);
  });

  it('started nothing: no workflow exists on the task queue', async () => {
    // A good start afterwards shows the same path would have started one, and lets visibility catch up.
    expect((await run(['start', GOOD_ARN, '--soak', '1h'])).code).toBe(0);
    let ids: string[] = [];
    for (let i = 0; i < 50 && ids.length === 0; i++) {
      ids = [];
      for await (const wf of temporal.client.workflow.list({ query: `TaskQueue = "${taskQueue}"` }))
        ids.push(wf.workflowId);
      if (ids.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(ids).toEqual([`retire-key/111122223333/us-east-1/${GOOD_ARN.split('/')[1]}`]);
    await temporal.client.workflow.getHandle(ids[0] as string).terminate('test over');
  });
});
