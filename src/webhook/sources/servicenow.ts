/**
 * POST /webhooks/servicenow: an outbound REST message from a business rule on change_request,
 * authenticated by the REST message's Basic auth profile with KMS_RETIRE_SERVICENOW_SECRET as the
 * password, or by `Authorization: Bearer <KMS_RETIRE_SERVICENOW_SECRET>` (ServiceNow signs nothing
 * by itself). Delivery id: `X-ServiceNow-Delivery-Id` when the rule sends one, else the
 * body's digest.
 */
import { z } from 'zod';
import { actionForState, fieldText, findKeyArn, readPath, type WebhookCommand } from '../command';
import { badRequest, unprocessable } from '../errors';
import type { ServiceNowMapping } from '../mapping';
import { bodyFingerprint, verifyBearer } from '../signatures';
import { zodProblems, type SourceHandler } from './source';

const payloadSchema = z.record(z.string(), z.unknown());
const NUMBER = /^[A-Za-z]{2,8}\d{1,12}$/;

export function serviceNowSource(mapping: ServiceNowMapping): SourceHandler {
  const { fields } = mapping;
  return {
    source: 'servicenow',
    verify(key, headers, body) {
      verifyBearer(key, headers.get('authorization'));
      const id = headers.get('x-servicenow-delivery-id');
      return id && id.length <= 256 ? id : bodyFingerprint(body);
    },
    interpret(payload): WebhookCommand {
      const parsed = payloadSchema.safeParse(payload);
      if (!parsed.success)
        throw badRequest('invalid-body', `not a ServiceNow record: ${zodProblems(parsed.error.issues)}.`);
      const record = parsed.data;
      const number = fieldText(readPath(record, fields.number));
      if (!number || !NUMBER.test(number)) {
        throw badRequest('invalid-body', `field "${fields.number}" must hold the record number, such as CHG0030001.`);
      }
      const state = fieldText(readPath(record, fields.state));
      if (state === undefined) throw badRequest('invalid-body', `${number} has no "${fields.state}" field.`);
      const action = actionForState(mapping.states, state);
      // A business rule fires on every state change; those not mapped do not concern kms-retire.
      if (!action) {
        return {
          action: 'ignore',
          reason: `${number} is in state "${state.slice(0, 64)}", which the mapping does not name (servicenow.states)`,
        };
      }
      const keyArn = findKeyArn(fieldText(readPath(record, fields.keyArn)));
      if (!keyArn)
        throw unprocessable(
          'missing-key-arn',
          `${number} has no key ARN in field "${fields.keyArn}" (see servicenow.fields.keyArn).`,
        );
      const ticket = {
        id: number,
        url: recordUrl(
          mapping,
          number,
          fieldText(readPath(record, fields.sysId)),
          fieldText(readPath(record, fields.url)),
        ),
        source: 'servicenow' as const,
      };
      const by = `servicenow:${number}`;
      if (action === 'retire')
        return { action, request: { keyArn, options: mapping.options, ticket, requestedBy: by } };
      return { action, keyArn, decision: { by, reason: `${number} moved to state "${state}"` } };
    },
  };
}

function recordUrl(
  mapping: ServiceNowMapping,
  number: string,
  sysId: string | undefined,
  given: string | undefined,
): string | undefined {
  if (mapping.recordUrl) {
    if (mapping.recordUrl.includes('{sys_id}') && (!sysId || !/^[0-9a-f]{32}$/.test(sysId))) return undefined;
    return mapping.recordUrl.replaceAll('{number}', number).replaceAll('{sys_id}', sysId ?? '');
  }
  return given && /^https:\/\/[^\s]{1,2040}$/.test(given) ? given : undefined;
}
