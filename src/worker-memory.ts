/**
 * The young generation of the worker's workflow threads. Node 24's V8 lets each isolate's new space
 * grow to 128 MiB (64-MiB semi-spaces) where Node 20's stopped at 32 MiB; the workflow thread that
 * holds every cached workflow then sits on up to ~100 MiB of short-lived garbage more, which is
 * most of why a worker with 10,000 soaking keys went from 834 to over 1,100 MiB on the move to
 * Node 24 (docs/benchmarks.md, "Memory"). Bounded back to Node 20's size here: a scavenge of a
 * 16-MiB semi-space is short, and the cached workflows live in the old generation anyway.
 *
 * V8 reads the flag when an isolate is made, so it must be set before the SDK starts its workflow
 * thread (Worker.create); the main isolate is already made by then, and takes the same bound only
 * from the command line (`NODE_OPTIONS=--max-semi-space-size=16`, as the Dockerfile sets it).
 */
import v8 from 'node:v8';

/** Node 20's bound, in MiB per semi-space. */
export const WORKFLOW_SEMI_SPACE_MIB = 16;

let applied = false;

/** Bounds the semi-space of isolates made from now on, unless the process was given its own. */
export function boundWorkflowThreadYoungGeneration(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string = process.env.NODE_OPTIONS ?? '',
): boolean {
  if (applied) return true;
  const own = [...execArgv, ...nodeOptions.split(/\s+/)].some((a) => /^--max-semi-space-size(=|$)/.test(a));
  if (own) return false;
  v8.setFlagsFromString(`--max-semi-space-size=${WORKFLOW_SEMI_SPACE_MIB}`);
  applied = true;
  return true;
}
