/**
 * EventBridge event patterns (EventBridge User Guide, "Creating event patterns" and "Content
 * filtering in Amazon EventBridge event patterns"), as a pure parser and matcher:
 * - every field named in the pattern must match (AND); a leaf is a list of matchers, any of which
 *   may match (OR); a nested object descends into the event's object (or into any element of an
 *   array of objects);
 * - an event field that is an array matches if any of its elements matches;
 * - matchers: an exact string, number, boolean or null; {"prefix": s}; {"suffix": s};
 *   {"equals-ignore-case": s}; {"anything-but": value | [values] | {"prefix": s} | {"suffix": s}};
 *   {"exists": true|false}; {"numeric": [op, n, (op, n)]}.
 * "anything-but" and "exists": true match only a field that is present ("Anything-but matching …
 * matches anything except what's provided"; a missing field is not a value); "exists": false
 * matches only a missing field.
 */

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type Pattern = { [key: string]: Pattern | Json[] };

export class PatternError extends Error {
  static readonly type = 'PatternError';
  constructor(reason: string) {
    super(`Event pattern is not valid. Reason: ${reason}`);
    this.name = PatternError.type;
  }
}

const NUMERIC_OPS = new Set(['<', '<=', '=', '>', '>=']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses and checks a pattern (PutRule's and TestEventPattern's EventPattern string). */
export function parsePattern(text: string): Pattern {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new PatternError('Filter is not an object');
  }
  if (!isObject(parsed)) throw new PatternError('Filter is not an object');
  check(parsed, '');
  return parsed as Pattern;
}

function check(pattern: Record<string, unknown>, path: string): void {
  if (Object.keys(pattern).length === 0 && path) throw new PatternError(`Empty objects are not allowed at ${path}`);
  for (const [key, value] of Object.entries(pattern)) {
    const at = path ? `${path}.${key}` : key;
    if (isObject(value)) check(value, at);
    else if (Array.isArray(value)) {
      if (value.length === 0) throw new PatternError(`Empty arrays are not allowed at ${at}`);
      value.forEach((m) => checkMatcher(m, at));
    } else throw new PatternError(`"${at}" must be an object or an array`);
  }
}

function checkMatcher(matcher: unknown, at: string): void {
  if (!isObject(matcher)) {
    if (Array.isArray(matcher))
      throw new PatternError(`Match value must be String, number, true, false, or null at ${at}`);
    return;
  }
  const keys = Object.keys(matcher);
  if (keys.length !== 1) throw new PatternError(`Only one key allowed in match expression at ${at}`);
  const [op] = keys as [string];
  const arg = matcher[op];
  switch (op) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
      if (typeof arg !== 'string')
        throw new PatternError(`${op} match pattern must be a string, not ${JSON.stringify(arg)}`);
      return;
    case 'exists':
      if (typeof arg !== 'boolean') throw new PatternError('exists match pattern must be either true or false.');
      return;
    case 'anything-but':
      if (isObject(arg)) {
        const [inner, more] = Object.keys(arg);
        if (more !== undefined || (inner !== 'prefix' && inner !== 'suffix') || typeof arg[inner] !== 'string')
          throw new PatternError('Value of anything-but must be an array or single string/number value.');
      } else if (Array.isArray(arg)) {
        if (arg.length === 0 || !arg.every((v) => typeof v === 'string' || typeof v === 'number'))
          throw new PatternError('Inside anything but list, start|null|boolean is not supported.');
      } else if (typeof arg !== 'string' && typeof arg !== 'number')
        throw new PatternError('Value of anything-but must be an array or single string/number value.');
      return;
    case 'numeric': {
      const ok =
        Array.isArray(arg) &&
        (arg.length === 2 || arg.length === 4) &&
        arg.every((v, i) => (i % 2 === 0 ? NUMERIC_OPS.has(v as string) : typeof v === 'number'));
      if (!ok) throw new PatternError('Value of numeric must be an array of operators and numbers.');
      return;
    }
    default:
      throw new PatternError(`Unrecognized match type ${op}`);
  }
}

/** Does the event (any JSON object) match the parsed pattern? */
export function matchesPattern(pattern: Pattern, event: unknown): boolean {
  return Object.entries(pattern).every(([key, sub]) => {
    const value = isObject(event) ? event[key] : undefined;
    if (Array.isArray(sub)) return sub.some((m) => matchLeaf(m, value));
    // A nested pattern against an array of objects: any element may match it.
    if (Array.isArray(value)) return value.some((element) => matchesPattern(sub, element));
    return matchesPattern(sub, value);
  });
}

function matchLeaf(matcher: Json, value: unknown): boolean {
  if (isObject(matcher) && 'exists' in matcher) {
    // exists applies to leaves: true needs a present, non-object value; false needs no value at all.
    if (matcher.exists) return value !== undefined && !isObject(value) && !(Array.isArray(value) && value.length === 0);
    return value === undefined;
  }
  if (value === undefined) return false;
  // An array field matches if any element does (for anything-but: if any element is not excluded).
  if (Array.isArray(value)) return value.some((v) => matchLeaf(matcher, v));
  if (!isObject(matcher)) return matcher === value;
  const [op] = Object.keys(matcher) as [string];
  const arg = matcher[op];
  switch (op) {
    case 'prefix':
      return typeof value === 'string' && value.startsWith(arg as string);
    case 'suffix':
      return typeof value === 'string' && value.endsWith(arg as string);
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === (arg as string).toLowerCase();
    case 'anything-but':
      return anythingBut(arg, value);
    case 'numeric':
      return typeof value === 'number' && numeric(arg as (string | number)[], value);
    default:
      return false;
  }
}

function anythingBut(arg: Json | undefined, value: unknown): boolean {
  if (isObject(arg)) {
    if (typeof value !== 'string') return true;
    if (typeof arg.prefix === 'string') return !value.startsWith(arg.prefix);
    return !value.endsWith(arg.suffix as string);
  }
  const excluded: unknown[] = Array.isArray(arg) ? arg : [arg];
  return !excluded.includes(value);
}

function numeric(spec: (string | number)[], value: number): boolean {
  for (let i = 0; i < spec.length; i += 2) {
    const bound = spec[i + 1] as number;
    const ok = {
      '<': value < bound,
      '<=': value <= bound,
      '=': value === bound,
      '>': value > bound,
      '>=': value >= bound,
    }[spec[i] as '<'];
    if (!ok) return false;
  }
  return true;
}
