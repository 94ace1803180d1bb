/**
 * Reading the policy file (`--policy FILE`, `KMS_RETIRE_POLICY`): YAML (JSON is YAML too), checked
 * with zod, every problem named by its line and field (`policy.yaml:4: protect[0].aliases: …`), so
 * a CI job that writes the file sees where it went wrong. The rules themselves, and what they
 * decide, are src/shared/policy-rules.ts. Shape: examples/policy.yaml, docs/operating.md.
 */
import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { MATCHERS, type PolicyFile } from '../shared/policy-rules';

const text = z.string().trim().min(1, 'must be a non-empty string');
const list = z.array(text).min(1, 'must list at least one entry');

const ruleSchema = z
  .strictObject({
    name: text,
    message: text,
    keys: list.optional(),
    aliases: list
      .refine((a) => a.every((p) => p.startsWith('alias/')), 'each alias pattern starts with alias/ (alias/payments-*)')
      .optional(),
    accounts: list
      .refine(
        (a) => a.every((p) => /^\d{12}$/.test(p) || (/[*?]/.test(p) && /^[\d*?]{1,12}$/.test(p))),
        'each account is 12 digits (globs * and ? allowed)',
      )
      .optional(),
    regions: list.optional(),
    tags: z
      .record(text, z.union([z.string(), z.number(), z.boolean()]).transform(String))
      .refine((t) => Object.keys(t).length > 0, 'must name at least one tag')
      .optional(),
    description: text.optional(),
  })
  .refine((r) => MATCHERS.some((m) => r[m] !== undefined), {
    message: `a rule needs at least one matcher of ${MATCHERS.join(', ')} (a rule without one would match every key)`,
  });

const fileSchema = z
  .strictObject({
    protect: z.array(ruleSchema).default([]),
    owners: z.array(ruleSchema).default([]),
  })
  .superRefine((file, ctx) => {
    const seen = new Map<string, string>();
    for (const kind of ['protect', 'owners'] as const)
      file[kind].forEach((rule, i) => {
        const first = seen.get(rule.name);
        if (first)
          ctx.addIssue({
            code: 'custom',
            path: [kind, i, 'name'],
            message: `"${rule.name}" is already the name of ${first}; names are unique`,
          });
        else seen.set(rule.name, `${kind}[${i}]`);
      });
  });

export class PolicyFileError extends Error {
  static readonly type = 'PolicyFileError';
  constructor(message: string) {
    super(message);
    this.name = PolicyFileError.type;
  }
}

const fieldName = (path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
    '',
  ) || '(top level)';

/** The line of the deepest node along `path` that the document has (a missing field: its parent's). */
function lineOf(doc: Document, lines: LineCounter, path: readonly PropertyKey[]): number | undefined {
  for (let n = path.length; n >= 0; n -= 1) {
    const node: unknown = doc.getIn(path.slice(0, n) as (string | number)[], true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}

/** Parses and checks the file's text; `origin` names it in errors. */
export function parsePolicy(source: string, origin = 'the policy file'): PolicyFile {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = e ? lines.linePos(e.pos[0]).line : undefined;
    throw new PolicyFileError(`${origin}${line ? `:${line}` : ''}: not valid YAML: ${e?.message.split('\n')[0] ?? ''}`);
  }
  const result = fileSchema.safeParse(doc.toJS() ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const line = lineOf(doc, lines, issue.path);
      return `${origin}${line ? `:${line}` : ''}: ${fieldName(issue.path)}: ${issue.message}`;
    });
    throw new PolicyFileError(
      `${problems.join('\n')}\nThe shape: protect: and owners: lists of rules with name, message and matchers ${MATCHERS.join(', ')} (examples/policy.yaml).`,
    );
  }
  return result.data;
}

export function loadPolicy(file: string): PolicyFile {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (err) {
    throw new PolicyFileError(
      `cannot read the policy file ${file} (${err instanceof Error && 'code' in err ? String(err.code) : 'unreadable'}).`,
    );
  }
  return parsePolicy(source, file);
}
