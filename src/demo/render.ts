/** The demo's final table and the Web UI link that finds its retirements. */
import { keyIdOf, table } from '../cli/output';

export interface DemoOutcome {
  label: string;
  keyArn: string;
  workflowId: string;
  expected: string;
  actual: string;
  ok: boolean;
  reason?: string;
}

export function renderOutcomes(outcomes: readonly DemoOutcome[]): string {
  return table(
    ['key', 'expected', 'outcome', 'why', ''],
    outcomes.map((o) => [
      `${o.label}\n${keyIdOf(o.keyArn)}`,
      o.expected,
      o.actual,
      o.reason,
      o.ok ? 'ok' : 'UNEXPECTED',
    ]),
    [40, 22, 22, 56, 6],
  );
}

/** The Web UI's workflow list, filtered to the demo's retirements by a visibility query. */
export function uiLink(uiUrl: string, namespace: string): string {
  const query = `WorkflowType = 'retireKey' AND TicketId = 'DEMO-1'`;
  return `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(query)}`;
}
