/** What a delivery asks for, once its source's payload has been read: the same for every source. */
import type { Decision, StartRequest } from '../workflows/retirement/client';
import type { DecisionInput } from '../workflows/retirement/messages';
import type { CampaignSettings } from '../workflows/campaign/messages';

export const ACTIONS = ['retire', 'approve', 'reject', 'cancel'] as const;
export type WebhookAction = (typeof ACTIONS)[number];

export type WebhookCommand =
  | { action: 'retire'; request: StartRequest }
  | { action: Decision; keyArn: string; decision: DecisionInput }
  | { action: 'ignore'; reason: string }
  | CampaignCommand;

/** The generic webhook's campaign actions (campaign-command.ts). */
export type CampaignCommand =
  | { action: 'campaign-start'; settings: CampaignSettings; keyArns: string[] }
  | {
      action: 'campaign-pause' | 'campaign-cancel';
      name: string;
      by: string;
      reason?: string;
      putBackRunning?: boolean;
    }
  | { action: 'campaign-resume'; name: string; by: string; maxReenabled?: string; maxFailed?: string };

/** A value of a ticket field as text; numbers and booleans as people would write them. */
export function fieldText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value && typeof value === 'object') {
    // Jira select lists and ServiceNow reference fields carry {value} / {name} / {display_value}.
    const record = value as Record<string, unknown>;
    for (const name of ['value', 'name', 'display_value']) {
      if (typeof record[name] === 'string') return record[name];
    }
  }
  return undefined;
}

/** Reads a dotted path (`fields.customfield_10050`) from parsed JSON, own properties only. */
export function readPath(root: unknown, path: string): unknown {
  let current: unknown = root;
  for (const part of path.split('.')) {
    if (!current || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, part))
      return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

const KEY_ARN_IN_TEXT = /arn:[a-z-]+:kms:[^\s"'<>,;()[\]{}|#?&]+/;
/** What people put after an ARN in a sentence ("retire arn:…/key/1234."), never part of a key ARN. */
const TRAILING_PUNCTUATION = /[./:!?*_~`]+$/;

/**
 * The key ARN in a ticket field: the field may hold just the ARN, a sentence around it ("Retire
 * arn:aws:kms:…."), or an AWS console link that carries it URL-encoded
 * (`…/kms/home?region=…#/kms/keys/arn%3Aaws%3Akms%3A…`). What is found is validated later by parseKeyArn.
 */
export function findKeyArn(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const match = KEY_ARN_IN_TEXT.exec(text) ?? KEY_ARN_IN_TEXT.exec(decodeArnEscapes(text));
  return match ? match[0].replace(TRAILING_PUNCTUATION, '') : text.trim() || undefined;
}

/** %3A and %2F (either case), as console links and URL-encoding tools write ':' and '/'. */
function decodeArnEscapes(text: string): string {
  return text.replace(/%3a/gi, ':').replace(/%2f/gi, '/');
}

/** Looks an observed state up in a mapping of action → states (names compared case-insensitively). */
export function actionForState(
  states: Partial<Record<WebhookAction, string[]>>,
  ...observed: (string | undefined)[]
): WebhookAction | undefined {
  const wanted = observed.filter((v): v is string => v !== undefined).map((v) => v.trim().toLowerCase());
  for (const action of ACTIONS) {
    if ((states[action] ?? []).some((s) => wanted.includes(s.trim().toLowerCase()))) return action;
  }
  return undefined;
}
