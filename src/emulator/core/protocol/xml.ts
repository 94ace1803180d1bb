/** A list rendered with a member element other than EC2's `<item>` (Query: `<member>`, RDS: `<DBInstance>`, …). */
export class XmlList {
  constructor(
    readonly member: string,
    readonly items: readonly unknown[],
  ) {}
}

export const list = (member: string, items: readonly unknown[]): XmlList => new XmlList(member, items);

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * One element from plain data: objects become child elements in key order, arrays EC2-style
 * `<item>` lists, XmlList its own member name; undefined and null are left out.
 */
export function element(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (value instanceof XmlList)
    return `<${name}>${value.items.map((v) => element(value.member, v)).join('')}</${name}>`;
  if (Array.isArray(value)) return `<${name}>${value.map((v) => element('item', v)).join('')}</${name}>`;
  if (typeof value === 'object') return `<${name}>${children(value as Record<string, unknown>)}</${name}>`;
  return `<${name}>${escapeXml(typeof value === 'string' ? value : JSON.stringify(value))}</${name}>`;
}

export function children(value: Record<string, unknown>): string {
  return Object.entries(value)
    .map(([k, v]) => element(k, v))
    .join('');
}

export function xmlResponse(
  status: number,
  xml: string,
  requestId: string,
  extra: Record<string, string> = {},
): Response {
  return new Response(status === 204 || !xml ? null : `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`, {
    status,
    headers: { 'content-type': 'text/xml', 'x-amzn-RequestId': requestId, ...extra },
  });
}

/** ISO-8601 with milliseconds, as the XML protocols send timestamps. */
export const iso = (ms: number): string => new Date(ms).toISOString();
