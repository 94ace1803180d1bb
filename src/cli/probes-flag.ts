/** `--probes all|none|dynamodb,ebs,…`: which dependency probes `scan` and `plan` run. */
import { PROBES, type ProbeName } from '../shared/dependents';
import { usageError } from './errors';

export const PROBES_HELP = `dependency probes: all, none, or some of ${PROBES.join(',')}`;

export function parseProbes(value: string): ProbeName[] {
  if (value === 'all') return [...PROBES];
  if (value === 'none') return [];
  const names = [...new Set(value.split(',').map((s) => s.trim()))].filter((s) => s !== '');
  const bad = names.find((n) => !(PROBES as readonly string[]).includes(n));
  if (bad !== undefined || names.length === 0)
    throw usageError(`--probes takes all, none, or some of ${PROBES.join(', ')}${bad ? `; "${bad}" is not one` : ''}.`);
  return names as ProbeName[];
}
