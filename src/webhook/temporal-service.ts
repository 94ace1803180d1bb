/** The Temporal-backed RetirementService: the retirement's client calls (src/workflows/retirement/client.ts) plus error translation and deadlines. */
import {
  isGrpcServiceError,
  ServiceError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
} from '@temporalio/client';
import { decide, startRetirement } from '../workflows/retirement/client';
import {
  cancelCampaign,
  pauseCampaign,
  resumeCampaign,
  startCampaign,
  UnknownCampaignError,
} from '../workflows/campaign/client';
import { DecisionRefusedError, ServiceUnavailableError, WebhookError } from './errors';
import type { RetirementService } from './service';
import type { PolicyFile } from '../shared/policy-rules';

export interface TemporalServiceOptions {
  /** How long one call to Temporal may take before the sender is told 503 (default 10 s). */
  callTimeoutMs?: number;
  /** The receiver's policy file (`webhook --policy`): carried in each retirement it starts, beside the worker's. */
  policy?: PolicyFile;
}

// gRPC status codes: 4 DEADLINE_EXCEEDED, 8 RESOURCE_EXHAUSTED, 14 UNAVAILABLE.
const TRANSIENT_GRPC_CODES = new Set([4, 8, 14]);

export function createTemporalService(
  client: Client,
  taskQueue: string,
  options: TemporalServiceOptions = {},
): RetirementService {
  const timeout = options.callTimeoutMs ?? 10_000;
  const call = <T>(fn: () => Promise<T>): Promise<T> => translate(() => client.withDeadline(Date.now() + timeout, fn));
  return {
    start: (request) =>
      call(() => startRetirement(client, taskQueue, options.policy ? { ...request, policy: options.policy } : request)),
    decide: async (workflowId, decision, input, requestId) => {
      const status = await call(() => decide(client, workflowId, decision, input, requestId));
      return { phase: status.phase, outcome: status.outcome };
    },
    campaigns: {
      startCampaign: (settings, keyArns) => call(() => startCampaign(client, taskQueue, settings, keyArns)),
      steerCampaign: (c) =>
        call(() => {
          if (c.action === 'campaign-pause') return pauseCampaign(client, c.name, c.by);
          if (c.action === 'campaign-resume')
            return resumeCampaign(client, c.name, { by: c.by, maxReenabled: c.maxReenabled, maxFailed: c.maxFailed });
          return cancelCampaign(client, c.name, { by: c.by, reason: c.reason, putBackRunning: c.putBackRunning });
        }),
    },
  };
}

async function translate<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof UnknownCampaignError) throw new WebhookError(404, 'unknown-campaign', err.message);
    if (err instanceof WorkflowUpdateFailedError) {
      throw new DecisionRefusedError(err.cause?.message ?? err.message);
    }
    if (isTransient(err)) {
      throw new ServiceUnavailableError(`Temporal did not answer (${describe(err)}); retry later.`);
    }
    throw err;
  }
}

function isTransient(err: unknown): boolean {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  const grpc = err instanceof ServiceError ? err.cause : err;
  return isGrpcServiceError(grpc) && TRANSIENT_GRPC_CODES.has(grpc.code);
}

function describe(err: unknown): string {
  const cause = err instanceof ServiceError && err.cause ? err.cause : err;
  return cause instanceof Error ? cause.message : String(cause);
}
