import { AwsError } from '../errors';
import type { ServiceContext, ServiceRequest } from '../service';
import { children, element, escapeXml, xmlResponse } from './xml';

/** Form parameters of a Query or EC2 request (`Action=…&Name.1=…`). */
export type Params = Map<string, string>;

export type QueryHandler = (ctx: ServiceContext, params: Params) => Record<string, unknown>;

export function parseForm(body: string, query: URLSearchParams): Params {
  const params: Params = new Map(query);
  for (const [k, v] of new URLSearchParams(body)) params.set(k, v);
  return params;
}

/** `Prefix.1.Rest=…` → one Params per index, in index order, with `Prefix.N.` stripped. */
export function members(params: Params, prefix: string): Params[] {
  const byIndex = new Map<number, Params>();
  const pattern = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.(\\d+)(?:\\.(.+))?$`);
  for (const [k, v] of params) {
    const m = pattern.exec(k);
    if (!m) continue;
    const index = Number(m[1]);
    if (!byIndex.has(index)) byIndex.set(index, new Map());
    byIndex.get(index)!.set(m[2] ?? '', v);
  }
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, p]) => p);
}

/** `Prefix.1=a&Prefix.2=b` → ["a", "b"]. */
export function values(params: Params, prefix: string): string[] {
  return members(params, prefix).map((p) => p.get('') ?? '');
}

export function bool(params: Params, name: string): boolean | undefined {
  const v = params.get(name);
  return v === undefined ? undefined : v === 'true';
}

/**
 * The Query protocol (RDS, SNS) and its EC2 variant: `Action` names the operation. Query answers
 * `<OpResponse><OpResult>…</OpResult><ResponseMetadata>`, errors `<ErrorResponse><Error>`; EC2
 * answers `<OpResponse><requestId>…`, errors `<Response><Errors><Error>` (AWS SDK awsQuery and
 * ec2Query protocols, which read exactly these shapes).
 */
export async function serveQuery(
  ctx: ServiceContext,
  req: ServiceRequest,
  spec: { style: 'query' | 'ec2'; xmlns: string; handlers: Record<string, QueryHandler> },
): Promise<Response> {
  try {
    const params = parseForm(req.body, req.query);
    const operation = params.get('Action') ?? '';
    const handler = spec.handlers[operation];
    if (!handler)
      throw new AwsError('InvalidAction', `The action ${operation || '(none)'} is not valid for this web service.`);
    await ctx.begin(operation);
    const result = handler(ctx, params);
    const xml =
      spec.style === 'ec2'
        ? `<${operation}Response xmlns="${spec.xmlns}"><requestId>${ctx.requestId}</requestId>${children(result)}</${operation}Response>`
        : `<${operation}Response xmlns="${spec.xmlns}">${element(`${operation}Result`, result)}` +
          `<ResponseMetadata><RequestId>${ctx.requestId}</RequestId></ResponseMetadata></${operation}Response>`;
    return xmlResponse(200, xml, ctx.requestId);
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    const code = escapeXml(err.code);
    const message = escapeXml(err.message);
    const xml =
      spec.style === 'ec2'
        ? `<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${ctx.requestId}</RequestID></Response>`
        : `<ErrorResponse xmlns="${spec.xmlns}"><Error><Type>${err.status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${code}</Code>` +
          `<Message>${message}</Message></Error><RequestId>${ctx.requestId}</RequestId></ErrorResponse>`;
    return xmlResponse(err.status, xml, ctx.requestId);
  }
}
