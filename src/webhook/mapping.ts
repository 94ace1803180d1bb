/**
 * The mapping file: which ticket field holds the key ARN, which states mean retire / approve /
 * reject / cancel, and where the ticket's id and link come from, for Jira Cloud and ServiceNow.
 * YAML or JSON (YAML is a superset). See examples/webhook-mapping.yaml and docs/webhooks.md.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { resolveOptions } from '../shared/options';
import { optionsSchema } from './options-schema';

const states = z.array(z.string().min(1)).default([]);
const stateMap = z.strictObject({ retire: states, approve: states, reject: states, cancel: states });

const jiraSchema = z.strictObject({
  /**
   * webhookEvent values acted upon; others are ignored with 200. Jira Automation's "Send web request"
   * carries no webhookEvent and counts as `automation:send_web_request`.
   */
  events: z
    .array(z.string().min(1))
    .default(['jira:issue_created', 'jira:issue_updated', 'automation:send_web_request']),
  /** Path under issue.fields of the field that holds the key ARN (alone or within text). */
  keyArnField: z.string().min(1).default('summary'),
  /** Status names or ids (compared case-insensitively) that mean each action. */
  statuses: stateMap.default({
    retire: ['Ready to Retire'],
    approve: ['Approved'],
    reject: ['Rejected'],
    cancel: ['Cancelled'],
  }),
  /** Link to the ticket; `{key}` is replaced. Default: derived from the issue's REST `self` link. */
  browseUrl: z.string().min(1).optional(),
  /** start's options for retirements from Jira. */
  options: optionsSchema.default({}),
});

const serviceNowSchema = z.strictObject({
  /** Names of the JSON fields that the outbound REST message sends. */
  fields: z
    .strictObject({
      number: z.string().min(1).default('number'),
      state: z.string().min(1).default('state'),
      keyArn: z.string().min(1).default('u_kms_key_arn'),
      sysId: z.string().min(1).default('sys_id'),
      url: z.string().min(1).default('url'),
    })
    .default({ number: 'number', state: 'state', keyArn: 'u_kms_key_arn', sysId: 'sys_id', url: 'url' }),
  /**
   * State values or labels (case-insensitive). The defaults follow a normal change_request's state
   * model, New (-5) → Assess (-4) → Authorize (-3) → Scheduled (-2) → Implement (-1) → Review (0) →
   * Closed (3), or Canceled (4): the retirement starts when the change is implemented, and deletion
   * (with `approval: required`) is approved when the change moves on to Review, after the soak.
   * States not named here are answered 200 "ignored".
   */
  states: stateMap.default({
    retire: ['Implement', '-1'],
    approve: ['Review', '0'],
    reject: [],
    cancel: ['Canceled', 'Cancelled', '4'],
  }),
  /** Link to the record; `{sys_id}` and `{number}` are replaced. */
  recordUrl: z.string().min(1).optional(),
  options: optionsSchema.default({}),
});

const mappingSchema = z.strictObject({
  jira: jiraSchema.default(jiraSchema.parse({})),
  servicenow: serviceNowSchema.default(serviceNowSchema.parse({})),
});

export type WebhookMapping = z.infer<typeof mappingSchema>;
export type JiraMapping = WebhookMapping['jira'];
export type ServiceNowMapping = WebhookMapping['servicenow'];

export class MappingError extends Error {
  static readonly type = 'MappingError';
  constructor(message: string) {
    super(message);
    this.name = MappingError.type;
  }
}

export const DEFAULT_MAPPING: WebhookMapping = mappingSchema.parse({});

/** Validates a parsed mapping document, including each source's start options. */
export function parseMapping(document: unknown, origin = 'the mapping'): WebhookMapping {
  const result = mappingSchema.safeParse(document ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`).join('; ');
    throw new MappingError(`${origin} is not valid: ${problems}.`);
  }
  for (const source of ['jira', 'servicenow'] as const) {
    try {
      resolveOptions(result.data[source].options);
    } catch (err) {
      throw new MappingError(`${origin}: ${source}.options: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return result.data;
}

export function loadMapping(file: string): WebhookMapping {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new MappingError(
      `cannot read the mapping file ${file} (${err instanceof Error && 'code' in err ? String(err.code) : 'unreadable'}).`,
    );
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (err) {
    throw new MappingError(`${file} is neither YAML nor JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseMapping(document, file);
}
