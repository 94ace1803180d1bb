/** `list`'s filters as a Temporal visibility query on kms-retire's search attributes. */
import { isAccountId, isRegion } from '../../shared/arn';
import { RETIRE_KEY_WORKFLOW } from '../../workflows/retirement/messages';
import { KmsAccount, KmsRegion, RetirementPhaseAttr, TicketId } from '../../shared/search-attributes';
import { PHASES } from '../../shared/types';
import { usageError } from '../errors';

export interface ListFilters {
  phase?: string;
  ticket?: string;
  account?: string;
  region?: string;
  /** Closed retirements too, not only running ones. */
  all?: boolean;
}

// Visibility queries quote values in single quotes; refusing quotes and backslashes keeps a ticket
// id from changing the query's meaning.
const SAFE_VALUE = /^[^'"\\]+$/;

export function buildListQuery(filters: ListFilters): string {
  const clauses = [`WorkflowType = '${RETIRE_KEY_WORKFLOW}'`];
  if (filters.phase !== undefined) {
    const phase = PHASES.find((p) => p.toLowerCase() === filters.phase?.toLowerCase());
    if (!phase)
      throw usageError(`--phase "${filters.phase}" is not a phase; use one of ${PHASES.join(', ')}.`, 'bad-option');
    clauses.push(`${RetirementPhaseAttr.name} = '${phase}'`);
  }
  if (filters.ticket !== undefined) {
    if (!SAFE_VALUE.test(filters.ticket))
      throw usageError(`--ticket "${filters.ticket}" may not contain quotes or backslashes.`, 'bad-option');
    clauses.push(`${TicketId.name} = '${filters.ticket}'`);
  }
  if (filters.account !== undefined) {
    if (!isAccountId(filters.account))
      throw usageError(`--account "${filters.account}" is not a 12-digit AWS account id.`, 'bad-option');
    clauses.push(`${KmsAccount.name} = '${filters.account}'`);
  }
  if (filters.region !== undefined) {
    if (!isRegion(filters.region))
      throw usageError(`--region "${filters.region}" is not a Region name such as us-east-1.`, 'bad-option');
    clauses.push(`${KmsRegion.name} = '${filters.region}'`);
  }
  if (!filters.all) clauses.push(`ExecutionStatus = 'Running'`);
  return clauses.join(' AND ');
}
