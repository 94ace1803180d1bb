/**
 * `--from FILE`: the keys to act on, one ARN per line (# comments and blank lines allowed), or the
 * JSON / CSV that `scan` writes. JSON: an array of ARNs or of objects with a keyArn (or arn) field,
 * or {"keys": [...]} of either. CSV: a header row with a keyArn (or arn) column; where a candidate
 * column is present (scan's CSV), only rows marked "yes".
 */
import fs from 'node:fs';
import { usageError } from './errors';

const ARN_FIELDS = ['keyArn', 'KeyArn', 'arn', 'Arn', 'ARN'];

export function readKeyFile(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw usageError(
      `cannot read --from ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`,
      'bad-file',
    );
  }
  const keys = parseKeyList(text, file);
  if (keys.length === 0) throw usageError(`--from ${file} names no keys.`, 'bad-file');
  return keys;
}

export function parseKeyList(text: string, file = 'the key list'): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) return fromJson(trimmed, file);
  const lines = trimmed
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const header = lines[0]?.split(',').map((c) => unquote(c.trim()));
  const column = header ? header.findIndex((c) => ARN_FIELDS.includes(c)) : -1;
  if (header && column >= 0) {
    // scan's CSV lists every key with a candidate column: only the candidates are to be acted on.
    const candidate = header.indexOf('candidate');
    return lines
      .slice(1)
      .map((l) => splitCsv(l).map((c) => c.trim()))
      .filter((cells) => candidate < 0 || cells[candidate] === 'yes')
      .map((cells) => unquote(cells[column] ?? ''))
      .filter((k) => k !== '');
  }
  if (header && header.length > 1 && !lines[0]?.startsWith('arn:')) {
    throw usageError(`${file} looks like CSV but has no keyArn column (columns: ${header.join(', ')}).`, 'bad-file');
  }
  return lines;
}

function fromJson(text: string, file: string): string[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw usageError(`${file} is not valid JSON: ${(err as Error).message}.`, 'bad-file');
  }
  const list = Array.isArray(data) ? data : (data as { keys?: unknown }).keys;
  if (!Array.isArray(list)) throw usageError(`${file}: expected a JSON array of keys or {"keys": [...]}.`, 'bad-file');
  return list.map((item, i) => {
    if (typeof item === 'string') return item;
    const field = ARN_FIELDS.find((f) => typeof (item as Record<string, unknown>)?.[f] === 'string');
    if (!field)
      throw usageError(`${file}: entry ${i + 1} is neither an ARN nor an object with a keyArn field.`, 'bad-file');
    return (item as Record<string, string>)[field] as string;
  });
}

/** Splits one CSV line, honouring double-quoted cells (ARNs have no commas, descriptions may). */
function splitCsv(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i];
    if (ch === '"' && quoted && line[i + 1] === '"') {
      cell += '"';
      i += 1;
    } else if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

function unquote(s: string): string {
  return s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s;
}
