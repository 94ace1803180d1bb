/** A multi-Region key's family for people: each member, its Region, and its own last use. */
import type { KeyFamily } from '../workflows/retirement/rules/key-family';
import { table } from './output';

const lastUse = (m: KeyFamily['members'][number]): string =>
  m.lastUse ?? (m.error ? `unknown: ${m.error}` : 'not read');

/** One line per member, for a table cell: "primary us-east-1 (this key): last used …". */
export function familyLines(family: KeyFamily, selfArn: string): string[] {
  return family.members.map(
    (m) => `${m.role.toLowerCase()} ${m.region}${m.arn === selfArn ? ' (this key)' : ''}: ${lastUse(m)}`,
  );
}

/** The family as its own table: role, Region, key ARN, last use. */
export function familyTable(family: KeyFamily, selfArn: string): string {
  return table(
    ['member', 'region', 'key', 'last use'],
    family.members.map((m) => [
      `${m.role.toLowerCase()}${m.arn === selfArn ? ' (this key)' : ''}`,
      m.region,
      m.arn,
      lastUse(m),
    ]),
  );
}
