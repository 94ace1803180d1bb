import fs from 'node:fs';
import path from 'node:path';

/**
 * kms-retire's version, from its package.json: two folders up from both src/cli/ and dist/cli/.
 * Read from disk rather than imported, so the JSON is not compiled into dist/ (and `--help` stays light).
 */
export function packageVersion(): string {
  const file = path.join(__dirname, '..', '..', 'package.json');
  const { version } = JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: unknown };
  return typeof version === 'string' ? version : 'unknown';
}
