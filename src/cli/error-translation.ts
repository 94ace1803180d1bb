/**
 * The one place where errors from the libraries become CLI errors with an exit code and a stable
 * code: bad input → 2, everything operational → 1.
 */
import { ServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { KeyRefError } from '../shared/arn';
import { DisablingGateConfigError } from '../workflows/gate/gate-config';
import { DurationError } from '../shared/duration';
import { OptionsError } from '../shared/options';
import { TemporalUnreachableError } from '../client/connection';
import { UnknownRetirementError } from '../workflows/retirement/client';
import { UnknownCampaignError } from '../workflows/campaign/client';
import { CampaignInputError } from '../shared/campaign';
import { CliError, usageError } from './errors';

export function toCliError(err: unknown): CliError {
  if (err instanceof CliError) return err;
  if (err instanceof KeyRefError) return usageError(err.message, 'malformed-arn');
  if (err instanceof OptionsError || err instanceof DurationError || err instanceof DisablingGateConfigError)
    return usageError(err.message, 'bad-option');
  if (err instanceof TemporalUnreachableError) return new CliError(err.message, 1, 'temporal-unreachable');
  if (err instanceof CampaignInputError) return usageError(err.message, 'bad-option');
  if (err instanceof UnknownCampaignError) return new CliError(err.message, 1, 'unknown-campaign');
  if (err instanceof UnknownRetirementError) return new CliError(err.message, 1, 'unknown-retirement');
  if (err instanceof WorkflowNotFoundError)
    return new CliError(`no such retirement: ${err.message}`, 1, 'unknown-retirement');
  if (err instanceof WorkflowUpdateFailedError) {
    // The workflow's validator said no (wrong phase, missing reason, …): its words are the message.
    const cause = err.cause?.message ?? err.message;
    return new CliError(`the retirement refused: ${cause}`, 1, 'refused');
  }
  if (err instanceof ServiceError)
    return new CliError(`the Temporal server answered: ${err.message}`, 1, 'temporal-error');
  return new CliError(err instanceof Error ? err.message : String(err), 1, 'operational-failure');
}
