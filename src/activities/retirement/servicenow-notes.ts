/**
 * Ticket updates as ServiceNow work notes: the Table API, `PATCH /api/now/table/change_request/{sys_id}`
 * with `work_notes`, Basic auth (KMS_RETIRE_SERVICENOW_USER, KMS_RETIRE_SERVICENOW_PASSWORD; worker
 * environment only) on KMS_RETIRE_SERVICENOW_URL. The ticket id is the record's number
 * (CHG0030001): its sys_id is read first. Each note starts with `[kms-retire <milestone id>]`; a
 * retry first looks for that note in the record's journal (sys_journal_field), so an attempt whose
 * answer was lost does not add the note twice.
 */
import { ApplicationFailure } from '@temporalio/common';
import { NO_METRICS, type Metrics } from '../../metrics/metrics';
import type { TicketUpdate } from '../../shared/ticket-update';
import { attempt, ticketHttp } from './ticket-http';
import { ticketUpdateId } from './ticket-updates';

export interface ServiceNowSettings {
  /** The instance, e.g. https://example.service-now.com */
  url: string;
  user: string;
  password: string;
  /** The table of the records (default change_request). */
  table?: string;
}

export function serviceNowNote(update: TicketUpdate, id: string): string {
  return `[kms-retire ${id}] ${update.milestone}: ${update.message}\n${update.campaign ? `Campaign ${update.campaign}` : `Key ${update.keyArn}`} · workflow ${update.workflowId}`;
}

export function createServiceNowActivities(deps: { servicenow?: ServiceNowSettings; metrics?: Metrics }) {
  const metrics = deps.metrics ?? NO_METRICS;
  return {
    async postServiceNowWorkNote(update: TicketUpdate): Promise<{ delivered: boolean }> {
      const settings = deps.servicenow;
      if (!settings) return { delivered: false };
      const base = `${new URL(settings.url).origin}/api/now/table`;
      const table = settings.table ?? 'change_request';
      const { send, fail } = ticketHttp('servicenow', metrics, {
        authorization: `Basic ${Buffer.from(`${settings.user}:${settings.password}`).toString('base64')}`,
        accept: 'application/json',
        'content-type': 'application/json',
      });
      const query = (q: string, fields: string) =>
        `sysparm_query=${encodeURIComponent(q)}&sysparm_fields=${fields}&sysparm_limit=1`;
      const found = await send(`${base}/${table}?${query(`number=${update.ticket.id}`, 'sys_id')}`, { method: 'GET' });
      if (!found.ok) fail(found, `looking up ${update.ticket.id}`);
      const sysId = ((await found.json()) as { result?: { sys_id?: string }[] }).result?.[0]?.sys_id;
      if (!sysId)
        throw ApplicationFailure.nonRetryable(`no ${table} record ${update.ticket.id}`, 'TicketCallbackRefused');
      const id = ticketUpdateId(update.workflowId, update.milestone);
      if (attempt() > 1) {
        // An earlier attempt may have added the note and lost the answer: look for it first.
        const q = `element_id=${sysId}^element=work_notes^valueLIKE[kms-retire ${id}]`;
        const res = await send(`${base}/sys_journal_field?${query(q, 'sys_id')}`, { method: 'GET' });
        if (!res.ok) fail(res, `reading the work notes of ${update.ticket.id}`);
        if ((((await res.json()) as { result?: unknown[] }).result?.length ?? 0) > 0) return { delivered: true };
      }
      const res = await send(`${base}/${table}/${sysId}`, {
        method: 'PATCH',
        body: JSON.stringify({ work_notes: serviceNowNote(update, id) }),
      });
      await res.body?.cancel();
      if (!res.ok) fail(res, `a work note on ${update.ticket.id}`);
      metrics.ticketPost('servicenow', true);
      return { delivered: true };
    },
  };
}

export type ServiceNowActivities = ReturnType<typeof createServiceNowActivities>;
