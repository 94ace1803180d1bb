/**
 * disablingGate: one per account (`disabling-gate/<account>`). At most `limit` retirements of the
 * account tag and disable their keys at once; the rest wait in a first-come, first-served queue.
 * A bulk start of thousands of keys thus never disables more than a few at a time, and a mistake
 * shows up on a few applications before it reaches all of them.
 *
 * Retirements ask by signal-with-start (an activity: workflows cannot signal-with-start) and the
 * gate answers each with a `disablingSlotGranted` signal sent directly from here.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { GateBook } from './gate-book';
import { resolveDisablingGateConfig, type DisablingGateCarry, type DisablingGateInput } from './gate-config';
import {
  disablingGateQuery,
  disablingSlotGrantedSignal,
  releaseDisablingSlotSignal,
  requestDisablingSlotSignal,
} from './messages';
import { packCarry, unpackCarry } from '../packed-carry';

/** `packedCarry` is what the previous run left (holders and queue, see packed-carry.ts); `input.carry` is read too. */
export async function disablingGate(
  input: DisablingGateInput,
  packedCarry?: Uint8Array,
): Promise<{ messages: number }> {
  // The limit is the starting worker's setting; a running gate keeps it (and carries it across
  // continue-as-new) until it idles out.
  const config = resolveDisablingGateConfig(input.config);
  const book = new GateBook(config, packedCarry ? unpackCarry<DisablingGateCarry>(packedCarry) : input.carry);
  const gateWorkflowId = workflowInfo().workflowId;
  let messages = 0;
  let version = 0;
  const changed = (): void => {
    messages += 1;
    version += 1;
  };
  setHandler(requestDisablingSlotSignal, ({ workflowId }) => {
    book.request(workflowId);
    changed();
  });
  setHandler(releaseDisablingSlotSignal, ({ workflowId }) => {
    book.release(workflowId);
    changed();
  });
  setHandler(disablingGateQuery, (workflowId) => book.state(input.account, workflowId));

  for (;;) {
    const seen = version;
    // Leases protect against a retirement terminated while holding a permit (Terminate runs no
    // cleanup, so its release never comes): the permit goes back after leaseMs.
    for (const id of book.reclaim(Date.now()))
      log.warn('disabling permit reclaimed after its lease', { workflowId: id, leaseMs: config.leaseMs });
    messages += await grant(book, gateWorkflowId);
    if (messages >= config.messagesPerRun || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof disablingGate>(
        { account: input.account, config: input.config },
        packCarry(book.carry()),
      );
    }
    if (version !== seen) continue;
    if (book.idle) {
      // Idle for a while: finish; the next request starts a new gate by signal-with-start.
      if (!(await condition(() => version !== seen, config.idleMs))) break;
      continue;
    }
    const leaseEnd = book.nextLeaseEnd();
    await condition(() => version !== seen, Math.max((leaseEnd ?? Date.now() + config.leaseMs) - Date.now(), 1));
  }
  await condition(allHandlersFinished);
  return { messages };
}

/** Grants free permits to the head of the queue; a retirement that is gone gives its permit back. */
async function grant(book: GateBook, gateWorkflowId: string): Promise<number> {
  let sent = 0;
  for (;;) {
    const granted = book.grant(Date.now());
    if (granted.length === 0) return sent;
    sent += granted.length;
    const results = await Promise.allSettled(
      granted.map((id) => getExternalWorkflowHandle(id).signal(disablingSlotGrantedSignal, { gateWorkflowId })),
    );
    let gone = 0;
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') return;
      // Signalling a closed or unknown workflow fails: it no longer needs the permit.
      book.release(granted[i] as string);
      gone += 1;
    });
    if (gone === 0) return sent;
  }
}
