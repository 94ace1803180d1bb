/**
 * A refused use pushed by EventBridge, judged by the same rule as the watcher's LookupEvents
 * matches (concernsKey: the watch's kind of refusal, from the watch's start) and taken like a
 * watcher report's events: once per event id. The main loop of the soak, of the approval wait and
 * of the pending window wakes on it at once and re-enables the key (or cancels the deletion and
 * re-enables it) with the same commands as after a watcher report, so no patch is needed.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import { concernsKey, isWatchedFailure } from '../watcher/trail-events';
import { PUSH_REJECTIONS, type PushedUseAnswer, type PushedUseInput } from './messages';
import type { RetirementState } from './retirement-state';

const reject = (message: string, type: string): never => {
  throw ApplicationFailure.nonRetryable(message, type);
};

export function validatePushedUse(s: RetirementState, input: PushedUseInput): void {
  if (input.keyArn !== s.key.arn)
    reject(`this retirement is of ${s.key.arn}, not ${input.keyArn}.`, PUSH_REJECTIONS.otherKey);
  if (s.usageEvents.some((e) => e.eventId === input.event.eventId))
    reject(`event ${input.event.eventId} is already known.`, PUSH_REJECTIONS.duplicate);
  if (s.phase === 'Disabling') reject('the key is being disabled; its watch starts next.', PUSH_REJECTIONS.tooEarly);
  // The phase has moved on (Soaking, PendingDeletion) but its watch is still being registered: a
  // use judged now by the previous watch (none, or the soak's) would be dropped as not watched for.
  if (s.registering)
    reject(
      `the retirement's watch for phase ${s.phase} is being registered; it starts next.`,
      PUSH_REJECTIONS.tooEarly,
    );
  const watch = s.registration;
  // As the watcher does (watcher-book.ts): CloudTrail writes eventTime to the second, so a call in
  // the same second as the DisableKey request is watched from the start of that second.
  const fromMs = watch ? Date.parse(watch.from) - (Date.parse(watch.from) % 1000) : 0;
  if (s.phase === 'Done' || !s.watching || !watch)
    reject(`the retirement watches for no refused use in phase ${s.phase}.`, PUSH_REJECTIONS.notWatching);
  else if (!isWatchedFailure(input.event.errorCode, input.event.errorMessage, watch.watchFor))
    reject(
      `the retirement watches for ${watch.watchFor} refusals, not ${input.event.errorCode ?? '?'}.`,
      PUSH_REJECTIONS.notWatching,
    );
  else if (
    !concernsKey(
      { ...input.event, resources: [input.keyArn] },
      { keyArn: s.key.arn, from: new Date(fromMs).toISOString(), watchFor: watch.watchFor },
    )
  )
    reject(
      `event ${input.event.eventId} at ${input.event.eventTime} is before the watch began (${new Date(fromMs).toISOString()}).`,
      PUSH_REJECTIONS.beforeWatch,
    );
}

export function takePushedUse(s: RetirementState, input: PushedUseInput): PushedUseAnswer {
  s.takeEvents([input.event], 'EventBridge');
  return { phase: s.phase };
}
