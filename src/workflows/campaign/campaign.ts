/**
 * campaign: one durable workflow per campaign (`campaign/<name>`). It owns its key list and starts
 * the retirements wave by wave; each retirement reports back (retirementReport) at the end of its
 * soak, on approval, on deciding and on its outcome. A wave over its error budget pauses the
 * campaign with the remaining keys untouched. Continues-as-new with its book packed, so a
 * 10,000-key campaign stays far under Temporal's history and payload limits.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CampaignActivities } from '../../activities/campaign/campaign-starts';
import { CampaignInputError, checkCampaignName, parseBudgetLimit } from '../../shared/campaign';
import { INVALID_INPUT } from '../../shared/error-types';
import { CampaignStateAttr } from '../../shared/search-attributes';
import { ACTIVITY_OPTIONS, call } from '../activity-calls';
import { packCarry, unpackCarry } from '../packed-carry';
import { CampaignBook, type CampaignCarry } from './campaign-book';
import { renderCampaignDetails } from './campaign-details';
import { CampaignTickets } from './campaign-tickets';
import {
  campaignKeysQuery,
  campaignStatusQuery,
  cancelCampaignUpdate,
  pauseCampaignUpdate,
  resumeCampaignUpdate,
  retirementReportSignal,
  type CampaignCancelInput,
  type CampaignInput,
  type PauseInput,
  type CampaignStatus,
  type ResumeInput,
} from './messages';

/** Keys started per activity: a batch's input stays small and a wave of 5,000 costs 3 events a batch. */
export const START_BATCH = 100;
/** Continue-as-new well before Temporal's advice of a few thousand events per run. */
export const MAX_EVENTS_PER_RUN = 1_500;

const acts = proxyActivities<CampaignActivities>({
  ...ACTIVITY_OPTIONS,
  startToCloseTimeout: '5 minutes',
  // A worker killed mid-batch is noticed soon; the retry starts nothing twice (campaign-starts.ts).
  heartbeatTimeout: '15 seconds',
  scheduleToCloseTimeout: '1 day',
});

function open(input: CampaignInput, packed: Uint8Array): CampaignBook {
  try {
    if (input.packed === 'carry') return new CampaignBook(unpackCarry<CampaignCarry>(packed));
    checkCampaignName(input.settings.name);
    return CampaignBook.fresh(input.settings, unpackCarry<string[]>(packed));
  } catch (err) {
    if (err instanceof CampaignInputError) throw ApplicationFailure.nonRetryable(err.message, INVALID_INPUT);
    throw err;
  }
}

function budgetOf(book: CampaignBook, i: ResumeInput) {
  if (i.maxReenabled === undefined && i.maxFailed === undefined) return undefined;
  const b = book.c.settings.budget;
  return {
    maxReenabled: i.maxReenabled === undefined ? b.maxReenabled : parseBudgetLimit(i.maxReenabled),
    maxFailed: i.maxFailed === undefined ? b.maxFailed : parseBudgetLimit(i.maxFailed),
  };
}

export async function campaign(input: CampaignInput, packed: Uint8Array): Promise<CampaignStatus> {
  const book = open(input, packed);
  const name = book.c.settings.name;
  let lastState = '';
  const tickets = new CampaignTickets(book.c, workflowInfo().workflowId);
  const publish = (): void => {
    const status = book.status();
    tickets.observe(status, new Date().toISOString());
    setCurrentDetails(renderCampaignDetails(status));
    if (status.state !== lastState) upsertSearchAttributes([{ key: CampaignStateAttr, value: status.state }]);
    lastState = status.state;
  };
  let putBackDone = false;

  setHandler(campaignStatusQuery, () => book.status());
  setHandler(campaignKeysQuery, () => packCarry(book.c.keys));
  setHandler(retirementReportSignal, (r) => book.onReport(r));
  setHandler(
    pauseCampaignUpdate,
    (i) => {
      book.pause(
        `paused by ${i.by ?? 'an operator'}${i.reason ? `: ${i.reason}` : ''}; kms-retire campaign resume ${name} goes on`,
      );
      return book.status();
    },
    { validator: (_i: PauseInput) => book.validatePause() },
  );
  setHandler(
    resumeCampaignUpdate,
    (i) => {
      book.resume(budgetOf(book, i));
      return book.status();
    },
    {
      validator: (i: ResumeInput) => {
        book.validateResume();
        budgetOf(book, i);
      },
    },
  );
  setHandler(
    cancelCampaignUpdate,
    async (i) => {
      book.cancel(`cancelled by ${i.by ?? 'an operator'}${i.reason ? `: ${i.reason}` : ''}`, i.putBackRunning === true);
      if (i.putBackRunning) await condition(() => putBackDone);
      return book.status();
    },
    { validator: (_i: CampaignCancelInput) => book.validateCancel() },
  );

  publish();
  for (;;) {
    if (book.state === 'Cancelled') {
      if (book.c.putBack) await putBack(book);
      putBackDone = true;
      break;
    }
    if (book.finished()) break;
    const next = book.nextWave();
    if (next !== undefined) {
      if (book.approved(next)) await startWave(book, next, publish, () => tickets.settled());
      else
        book.pause(
          `wave ${next + 1} of ${book.waveCount} waits for approval (--approval-between-waves): kms-retire campaign resume ${name}`,
        );
      publish();
      continue;
    }
    if (tooLong()) {
      await tickets.settled();
      await condition(allHandlersFinished);
      await continueAsNew<typeof campaign>({ settings: book.c.settings, packed: 'carry' }, packCarry(book.c));
    }
    book.changed = false;
    await condition(() => book.changed);
    publish();
  }
  publish();
  await tickets.settled();
  await condition(allHandlersFinished);
  return book.status();
}

function tooLong(): boolean {
  const info = workflowInfo();
  return info.historyLength > MAX_EVENTS_PER_RUN || info.continueAsNewSuggested;
}

/** Starts a wave's keys in batches; stops starting as soon as the campaign is paused or cancelled. */
async function startWave(
  book: CampaignBook,
  wave: number,
  publish: () => void,
  settled: () => Promise<void>,
): Promise<void> {
  book.beginWave(wave, new Date().toISOString());
  publish();
  const arns = book
    .keysOfWave(wave)
    .filter((k) => k.state === 'waiting')
    .map((k) => k.keyArn);
  for (let i = 0; i < arns.length && book.state === 'Running'; i += START_BATCH) {
    const batch = arns.slice(i, i + START_BATCH);
    const results = await call(acts.startCampaignBatch, `Start ${batch.length} retirement(s) of wave ${wave + 1}`, {
      campaign: book.c.settings.name,
      keyArns: batch,
      request: book.c.settings.retirement,
    });
    for (const r of results) book.recordStart(r.keyArn, r.started, r.reason);
    publish();
    if (tooLong()) {
      // Mid-wave: the next run goes on with this wave's waiting keys (nextWave returns it again).
      await settled();
      await condition(allHandlersFinished);
      await continueAsNew<typeof campaign>({ settings: book.c.settings, packed: 'carry' }, packCarry(book.c));
    }
  }
}

async function putBack(book: CampaignBook): Promise<void> {
  const running = book.running().map((k) => k.keyArn);
  for (let i = 0; i < running.length; i += START_BATCH) {
    const batch = running.slice(i, i + START_BATCH);
    await call(acts.putBackCampaignRetirements, `Put back ${batch.length} running retirement(s)`, {
      campaign: book.c.settings.name,
      keyArns: batch,
      by: `campaign:${book.c.settings.name}`,
    });
  }
}
