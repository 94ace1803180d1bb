/**
 * The book of a campaign: its keys and their waves, what each retirement reported, the error
 * budget and the state. Pure (no Temporal calls), so the workflow's handlers are one-liners into
 * here and the rules are tested without a server. Carried across continue-as-new whole.
 */
import {
  allowed,
  formatLimit,
  keyMonthlyUsd,
  waveSizes,
  type CampaignBudget,
  type CampaignState,
} from '../../shared/campaign';
import type { CampaignKey, CampaignSettings, CampaignStatus, RetirementReport, WaveStatus } from './messages';
import { savings } from './savings';

/** Keys still needed, and keys that went wrong: the two halves of the error budget. */
const NEEDED: ReadonlySet<string> = new Set(['Reenabled', 'RolledBack']);
const FAILED: ReadonlySet<string> = new Set(['Failed', 'Interfered']);
/** The most entries of neededBy / skipped a status answer lists (the report reads every key). */
const STATUS_LIST_MAX = 200;

export interface CampaignCarry {
  settings: CampaignSettings;
  keys: CampaignKey[];
  state: CampaignState;
  reason?: string;
  /** The last wave begun (-1: none yet). */
  currentWave: number;
  waveStartedAt: (string | undefined)[];
  /** Per wave, the needed/failed counts an operator accepted by resuming. */
  accepted: { reenabled: number; failed: number }[];
  /** Waves started without further approval up to this index (--approval-between-waves). */
  approvedThrough: number;
  stoppedAtWave?: number;
  putBack?: boolean;
  /** Ticket milestones already posted, pauses so far and whether the campaign is paused now (campaign-tickets.ts). */
  posted?: string[];
  pauses?: number;
  pausedNow?: boolean;
}

export class CampaignBook {
  readonly c: CampaignCarry;
  private readonly index = new Map<string, number>();
  /** Each wave's keys, by position in c.keys (status and the wave rules read waves often). */
  private readonly byWave: number[][] = [];
  /** Set by every change; the workflow's loop wakes on it. */
  changed = false;

  constructor(carry: CampaignCarry) {
    this.c = carry;
    carry.keys.forEach((k, i) => {
      this.index.set(k.keyArn, i);
      (this.byWave[k.wave] ??= []).push(i);
    });
  }

  /** A new campaign over `arns` (in order; a key listed twice is skipped the second time). */
  static fresh(settings: CampaignSettings, arns: string[]): CampaignBook {
    const seen = new Set<string>();
    const unique = arns.filter((a) => !seen.has(a) && seen.add(a));
    const sizes = waveSizes(settings.waves, unique.length);
    const keys: CampaignKey[] = [];
    let next = 0;
    sizes.forEach((size, wave) => {
      for (const keyArn of unique.slice(next, next + size)) keys.push({ keyArn, wave, state: 'waiting' });
      next += size;
    });
    return new CampaignBook({
      settings,
      keys,
      state: keys.length ? 'Running' : 'Done',
      reason: keys.length ? undefined : 'the campaign has no keys',
      currentWave: -1,
      waveStartedAt: sizes.map(() => undefined),
      accepted: sizes.map(() => ({ reenabled: 0, failed: 0 })),
      approvedThrough: 0,
    });
  }

  get state(): CampaignState {
    return this.c.state;
  }
  get waveCount(): number {
    return this.c.waveStartedAt.length;
  }

  keysOfWave(wave: number): CampaignKey[] {
    return (this.byWave[wave] ?? []).map((i) => this.c.keys[i] as CampaignKey);
  }

  /**
   * The wave to start (or go on starting) now, if any: running, and the current wave either not
   * fully started (paused or continued-as-new mid-wave) or far enough along for the next.
   */
  nextWave(): number | undefined {
    if (this.c.state !== 'Running') return undefined;
    const current = this.c.currentWave;
    if (current >= 0 && this.keysOfWave(current).some((k) => k.state === 'waiting')) return current;
    const next = current + 1;
    if (next >= this.waveCount) return undefined;
    if (this.c.currentWave >= 0 && !this.waveReady(this.c.currentWave)) return undefined;
    return next;
  }

  /** Whether `wave` may start without an operator (--approval-between-waves asks for a resume first). */
  approved(wave: number): boolean {
    return !this.c.settings.approvalBetweenWaves || wave <= this.c.approvedThrough;
  }

  beginWave(wave: number, now: string): void {
    this.c.currentWave = wave;
    this.c.waveStartedAt[wave] ||= now;
    this.changed = true;
  }

  /** The outcome of starting one key: started (its retirement runs), or skipped with the reason. */
  recordStart(keyArn: string, started: boolean, reason?: string): void {
    const k = this.key(keyArn);
    if (!k) return;
    if (started) k.state = 'started';
    else if (k.state === 'waiting') Object.assign(k, { state: 'skipped', reason });
    this.changed = true;
    this.settle();
  }

  onReport(r: RetirementReport): void {
    const k = this.key(r.keyArn);
    // A report of a key the campaign never started (or already heard of with its outcome) changes nothing.
    if (!k || k.state === 'skipped' || (k.outcome !== undefined && r.outcome === undefined)) return;
    k.state = 'started';
    k.phase = r.phase;
    if (r.outcome) k.outcome = r.outcome;
    if (r.reason) k.reason = r.reason;
    if (r.principals?.length) k.principals = r.principals;
    if (r.deletionDate) k.deletionDate = r.deletionDate;
    if (r.rotations !== undefined) k.rotations = r.rotations;
    // Unknown rotations count as none: the ledger then says its figure is a lower bound (savings.ts).
    k.usdPerMonth = keyMonthlyUsd(k.rotations ?? 0, this.c.settings.pricing);
    this.changed = true;
    if (this.c.state === 'Running' && r.outcome && (NEEDED.has(r.outcome) || FAILED.has(r.outcome))) {
      const over = this.overBudget(k.wave);
      if (over) this.pauseOnBudget(k.wave, over);
    }
    this.settle();
  }

  /** Why a wave is over budget, or undefined. */
  overBudget(wave: number): string | undefined {
    const size = this.keysOfWave(wave).length;
    const { reenabled, failed } = this.counts(wave);
    const acc = this.c.accepted[wave] ?? { reenabled: 0, failed: 0 };
    const { maxReenabled, maxFailed } = this.c.settings.budget;
    if (reenabled - acc.reenabled > allowed(maxReenabled, size))
      return `${reenabled} key(s) of wave ${wave + 1} (${size} keys) turned out to be needed (Reenabled or RolledBack); --max-reenabled ${formatLimit(maxReenabled)}`;
    if (failed - acc.failed > allowed(maxFailed, size))
      return `${failed} key(s) of wave ${wave + 1} (${size} keys) ended Failed or Interfered; --max-failed ${formatLimit(maxFailed)}`;
    return undefined;
  }

  private pauseOnBudget(wave: number, why: string): void {
    if (!this.c.keys.some((k) => k.state === 'waiting')) return; // nothing left to hold back
    this.c.state = 'Paused';
    this.c.stoppedAtWave = wave;
    this.c.reason = `${why}: no more keys are started. Look at who needed them (kms-retire campaign status ${this.c.settings.name}), then resume or cancel.`;
  }

  pause(reason: string): void {
    this.c.state = 'Paused';
    this.c.reason = reason;
    this.changed = true;
  }

  validatePause(): void {
    if (this.c.state !== 'Running')
      throw new Error(`campaign ${this.c.settings.name} is ${this.c.state}; only a running campaign can be paused.`);
  }

  validateResume(): void {
    if (this.c.state !== 'Paused')
      throw new Error(`campaign ${this.c.settings.name} is ${this.c.state}; only a paused campaign can be resumed.`);
  }

  /**
   * Resuming accepts what is known now: the keys already needed or failed count no more against
   * their waves' budget (a new budget, if given, applies from here on), and the next wave is approved.
   */
  resume(budget: CampaignBudget | undefined): void {
    if (budget) this.c.settings.budget = budget;
    this.c.accepted = this.c.accepted.map((_, wave) => {
      const { reenabled, failed } = this.counts(wave);
      return { reenabled, failed };
    });
    this.c.approvedThrough = Math.max(this.c.approvedThrough, this.c.currentWave + 1);
    this.c.state = 'Running';
    this.c.reason = undefined;
    this.c.stoppedAtWave = undefined;
    this.changed = true;
    this.settle();
  }

  validateCancel(): void {
    if (this.c.state === 'Cancelled') throw new Error(`campaign ${this.c.settings.name} is already cancelled.`);
  }

  cancel(reason: string, putBack: boolean): void {
    this.c.state = 'Cancelled';
    this.c.reason = reason;
    this.c.putBack = putBack;
    this.changed = true;
  }

  /** Started keys whose retirement has no outcome yet (cancel --put-back-running cancels them). */
  running(): CampaignKey[] {
    return this.c.keys.filter((k) => k.state === 'started' && k.outcome === undefined);
  }

  /** Nothing more to follow: cancelled, or done with every retirement at its outcome. */
  finished(): boolean {
    if (this.c.state === 'Cancelled') return true;
    return this.c.state === 'Done' && this.running().length === 0;
  }

  /** Done once nothing waits and every started key has decided (deletion scheduled, or an outcome). */
  private settle(): void {
    if (this.c.state === 'Cancelled' || this.c.state === 'Done') return;
    if (this.c.keys.some((k) => k.state === 'waiting' || (k.state === 'started' && !decided(k)))) return;
    const over = this.c.stoppedAtWave;
    this.c.state = 'Done';
    this.c.reason = `every key has decided${over === undefined ? '' : `; wave ${over + 1} went over its budget`}`;
  }

  private key(keyArn: string): CampaignKey | undefined {
    const i = this.index.get(keyArn);
    return i === undefined ? undefined : this.c.keys[i];
  }

  private waveReady(wave: number): boolean {
    const after = this.c.settings.nextWaveAfter;
    return this.keysOfWave(wave).every((k) => {
      if (k.state === 'skipped') return true;
      if (k.state === 'waiting') return false;
      if (decided(k)) return true;
      if (after === 'soaked') return k.phase === 'AwaitingApproval' || k.phase === 'Scheduling';
      if (after === 'approved') return k.phase === 'Scheduling';
      return false;
    });
  }

  private counts(wave: number): { reenabled: number; failed: number } {
    const keys = this.keysOfWave(wave);
    return {
      reenabled: keys.filter((k) => k.outcome && NEEDED.has(k.outcome)).length,
      failed: keys.filter((k) => k.outcome && FAILED.has(k.outcome)).length,
    };
  }

  status(): CampaignStatus {
    const { settings } = this.c;
    const waves: WaveStatus[] = this.c.waveStartedAt.map((startedAt, index) => {
      const keys = this.keysOfWave(index);
      const outcomes: WaveStatus['outcomes'] = {};
      for (const k of keys) {
        const o = k.outcome ?? (k.phase === 'PendingDeletion' ? 'PendingDeletion' : undefined);
        if (o) outcomes[o] = (outcomes[o] ?? 0) + 1;
      }
      return {
        index,
        size: keys.length,
        started: keys.filter((k) => k.state === 'started').length,
        decided: keys.filter((k) => k.state === 'started' && decided(k)).length,
        skipped: keys.filter((k) => k.state === 'skipped').length,
        startedAt: startedAt ?? undefined,
        outcomes,
        ...this.counts(index),
      };
    });
    const neededBy = this.c.keys
      .filter((k) => k.outcome && NEEDED.has(k.outcome))
      .flatMap((k) =>
        (k.principals?.length ? k.principals : ['unknown']).map((principal) => ({ keyArn: k.keyArn, principal })),
      );
    const skipped = this.c.keys
      .filter((k) => k.state === 'skipped')
      .map((k) => ({ keyArn: k.keyArn, reason: k.reason ?? '' }));
    return {
      name: settings.name,
      state: this.c.state,
      reason: this.c.reason,
      keys: this.c.keys.length,
      waves,
      currentWave: Math.max(0, this.c.currentWave),
      budget: {
        maxReenabled: formatLimit(settings.budget.maxReenabled),
        maxFailed: formatLimit(settings.budget.maxFailed),
        nextWaveAfter: settings.nextWaveAfter,
        approvalBetweenWaves: settings.approvalBetweenWaves,
      },
      stoppedAtWave: this.c.stoppedAtWave,
      savings: savings(this.c.keys, settings.pricing),
      neededBy: neededBy.slice(0, STATUS_LIST_MAX),
      skipped: skipped.slice(0, STATUS_LIST_MAX),
    };
  }
}

/** Deletion scheduled, or an outcome. */
export function decided(k: Pick<CampaignKey, 'outcome' | 'phase'>): boolean {
  return k.outcome !== undefined || k.phase === 'PendingDeletion';
}
