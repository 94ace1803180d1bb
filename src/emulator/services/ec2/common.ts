import { randomBytes } from 'node:crypto';
import { AwsError } from '../../core/errors';
import type { ResourceRecord, ResourceType } from '../../core/state';
import type { ServiceContext } from '../../core/service';
import type { ServicePage } from '../../core/paging';
import { pageOf, pageSize } from '../../core/paging';
import type { Params } from '../../core/protocol/query';
import { members, values } from '../../core/protocol/query';

/** EC2 resource ids: a prefix and 17 hex digits (e.g. vol-0abc…). */
export const ec2Id = (prefix: string): string => `${prefix}-0${randomBytes(8).toString('hex')}`;

export const ec2Error = (code: string, message: string): AwsError => new AwsError(code, message);
export const invalidParameter = (message: string): AwsError => ec2Error('InvalidParameterValue', message);

/** One EC2 resource of the caller's account and Region, or `<Kind>.NotFound` in EC2's words. */
export function ec2Resource(
  ctx: ServiceContext,
  type: ResourceType,
  id: string | undefined,
  notFound: { code: string; what: string },
): ResourceRecord {
  if (!id) throw ec2Error('MissingParameter', `The request must contain the parameter ${notFound.what}`);
  const found = ctx.store.findResource(type, ctx.caller.account, ctx.caller.region, id);
  if (!found) throw ec2Error(notFound.code, `The ${notFound.what} '${id}' does not exist`);
  return found;
}

/**
 * Describe* selection and paging: ids (`VolumeId.N`, …) must all exist; `Filter.N.Name` /
 * `Filter.N.Value.M` keep a resource when, for each filter, one of its values matches (EC2 API
 * Reference, "Filter"); MaxResults (5-1000) and NextToken page the result.
 */
export function describeSelection(
  ctx: ServiceContext,
  params: Params,
  spec: {
    type: ResourceType;
    idParam: string;
    notFound: { code: string; what: string };
    filters: Record<string, (r: ResourceRecord) => string | string[] | undefined>;
    keep?: (r: ResourceRecord) => boolean;
  },
): ServicePage<ResourceRecord> {
  const ids = values(params, spec.idParam);
  let items = ctx.store.resourcesIn(spec.type, ctx.caller.account, ctx.caller.region).filter(spec.keep ?? (() => true));
  if (ids.length) {
    for (const id of ids) ec2Resource(ctx, spec.type, id, spec.notFound);
    items = items.filter((r) => ids.includes(r.id));
  }
  for (const filter of members(params, 'Filter')) {
    const name = filter.get('Name') ?? '';
    const wanted = values(filter, 'Value');
    const field = spec.filters[name];
    if (!field) throw invalidParameter(`The filter '${name}' is invalid`);
    items = items.filter((r) => {
      const got = field(r);
      const list = Array.isArray(got) ? got : got === undefined ? [] : [got];
      return list.some((v) => wanted.includes(v));
    });
  }
  const limit = pageSize(params.get('MaxResults'), { min: 5, max: 1000, fallback: 1000 }, invalidParameter);
  return pageOf(items, params.get('NextToken'), limit, () =>
    ec2Error('InvalidPaginationToken', 'The pagination token is invalid.'),
  );
}

export const ec2Time = (ms: number): string => new Date(ms).toISOString();
