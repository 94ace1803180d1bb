/**
 * An in-memory RetirementService for in-process tests: the same deterministic workflow ids and
 * "already running" answers as Temporal, and a record of every call so tests can prove that no
 * workflow was started.
 */
import { UnknownRetirementError, type Decision, type StartRequest } from '../../../src/workflows/retirement/client';
import { parseKeyArn } from '../../../src/shared/arn';
import { retirementWorkflowId } from '../../../src/shared/ids';
import type { DecisionInput } from '../../../src/workflows/retirement/messages';
import type { RetirementService } from '../../../src/webhook';

export class MemoryService implements RetirementService {
  readonly starts: StartRequest[] = [];
  readonly decisions: { workflowId: string; decision: Decision; input: DecisionInput }[] = [];
  readonly running = new Set<string>();
  /** Set to make every call fail as Temporal would when it is down. */
  failWith?: Error;

  /** Workflows actually started (a duplicate start is not one). */
  get started(): number {
    return this.running.size;
  }

  async start(request: StartRequest): Promise<{ workflowId: string; started: boolean }> {
    await Promise.resolve();
    if (this.failWith) throw this.failWith;
    const key = typeof request.keyArn === 'string' ? parseKeyArn(request.keyArn) : request.keyArn;
    // Recorded as received: the receiver passes the key it parsed, the tests compare its ARN.
    this.starts.push({ ...request, keyArn: key.arn });
    const workflowId = retirementWorkflowId(key);
    if (this.running.has(workflowId)) return { workflowId, started: false };
    this.running.add(workflowId);
    return { workflowId, started: true };
  }

  async decide(
    workflowId: string,
    decision: Decision,
    input: DecisionInput,
  ): Promise<{ phase: 'Done'; outcome: 'Cancelled' }> {
    await Promise.resolve();
    if (this.failWith) throw this.failWith;
    this.decisions.push({ workflowId, decision, input });
    if (!this.running.has(workflowId)) throw new UnknownRetirementError(workflowId);
    return { phase: 'Done', outcome: 'Cancelled' };
  }
}
