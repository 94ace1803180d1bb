import { AwsError } from '../errors';
import type { ServiceContext, ServiceRequest } from '../service';

/** One REST operation: method, path pattern (groups are the path's labels), and its handler. */
export interface RestRoute {
  method: string;
  path: RegExp;
  operation: string;
  /** The IAM action, when not `<service>:<operation>`. */
  action?: string;
  /** Matches only when the query string has this parameter (S3's `?encryption`, `?location`). */
  query?: string;
  handler: (ctx: ServiceContext, req: ServiceRequest, labels: string[]) => Response;
}

/**
 * REST protocols (Lambda and EKS over JSON, S3 over XML): the method and path name the operation.
 * `fail` renders an error in the service's shape.
 */
export async function serveRest(
  ctx: ServiceContext,
  req: ServiceRequest,
  routes: readonly RestRoute[],
  fail: (err: AwsError, requestId: string) => Response,
): Promise<Response> {
  try {
    const method = req.method === 'HEAD' ? 'HEAD' : req.method;
    for (const route of routes) {
      if (route.method !== method || (route.query && !req.query.has(route.query))) continue;
      const m = route.path.exec(req.path);
      if (!m) continue;
      await ctx.begin(route.operation, { action: route.action });
      return route.handler(
        ctx,
        req,
        m.slice(1).map((s) => decodeURIComponent(s ?? '')),
      );
    }
    throw new AwsError('UnknownOperationException', `This emulator does not serve ${req.method} ${req.path}.`, 404);
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    return fail(err, ctx.requestId);
  }
}
