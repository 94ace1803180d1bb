import { AwsError } from '../../core/errors';
import type { Caller } from '../../core/caller';
import type { TrailRecord } from './trail-record';

export const TRAIL_OPERATIONS = new Set([
  'CreateTrail',
  'DescribeTrails',
  'GetTrailStatus',
  'StartLogging',
  'StopLogging',
  'DeleteTrail',
]);

// CloudTrail API Reference, CreateTrail Name: 3-128 characters, letters, numbers, periods, underscores
// and dashes, starting and ending with a letter or number.
const TRAIL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$/;

/**
 * Does a trail with logging on cover events of `account` in `region`? (EventBridge User Guide,
 * "Events from AWS services": AWS API call events arrive "only when CloudTrail logging is on".)
 * A multi-Region trail covers every Region; an organization trail covers the organization's accounts.
 */
export function trailCovers(trails: TrailRecord[], account: string, region: string, orgAccounts: string[]): boolean {
  return trails.some(
    (t) =>
      t.logging &&
      (t.multiRegion || t.homeRegion === region) &&
      (t.account === account || (t.organization && orgAccounts.includes(t.account) && orgAccounts.includes(account))),
  );
}

function view(trail: TrailRecord): Record<string, unknown> {
  return {
    Name: trail.name,
    S3BucketName: trail.s3BucketName,
    IncludeGlobalServiceEvents: trail.includeGlobalServiceEvents,
    IsMultiRegionTrail: trail.multiRegion,
    HomeRegion: trail.homeRegion,
    TrailARN: trail.arn,
    LogFileValidationEnabled: false,
    HasCustomEventSelectors: false,
    HasInsightSelectors: false,
    IsOrganizationTrail: trail.organization,
  };
}

/** The caller's trails visible in its Region: its own there, plus multi-Region ones (shadow trails elsewhere). */
function visible(trails: TrailRecord[], caller: Caller): TrailRecord[] {
  return trails.filter((t) => t.account === caller.account && (t.homeRegion === caller.region || t.multiRegion));
}

function find(trails: TrailRecord[], caller: Caller, name: unknown): TrailRecord {
  if (typeof name !== 'string' || name === '')
    throw new AwsError('InvalidTrailNameException', 'Trail name is required.');
  const trail = visible(trails, caller).find(
    (t) => t.arn === name || (t.name === name && t.homeRegion === caller.region),
  );
  // CloudTrail's words for an unknown trail (TrailNotFoundException).
  if (!trail)
    throw new AwsError(
      'TrailNotFoundException',
      `Unknown trail: ${name.startsWith('arn:') ? name : `arn:aws:cloudtrail:${caller.region}:${caller.account}:trail/${name}`} for the user: ${caller.account}`,
    );
  return trail;
}

function inHomeRegion(trail: TrailRecord, caller: Caller): void {
  // StartLogging/StopLogging/DeleteTrail: "must be called from the Region in which the trail was created".
  if (trail.homeRegion !== caller.region)
    throw new AwsError(
      'InvalidHomeRegionException',
      `This operation is only supported in the home Region of the trail (${trail.homeRegion}).`,
    );
}

/** CreateTrail, DescribeTrails, GetTrailStatus, StartLogging, StopLogging, DeleteTrail. */
export function handleTrails(
  trails: TrailRecord[],
  caller: Caller,
  operation: string,
  input: Record<string, unknown>,
  now: number,
): Record<string, unknown> {
  switch (operation) {
    case 'CreateTrail': {
      const name = input.Name;
      if (typeof name !== 'string' || !TRAIL_NAME.test(name))
        throw new AwsError(
          'InvalidTrailNameException',
          'Trail name must starts with a letter or number, end with a letter or number, be 3-128 characters and contain only letters, numbers, periods, underscores and dashes.',
        );
      if (typeof input.S3BucketName !== 'string' || input.S3BucketName === '')
        throw new AwsError('InvalidS3BucketNameException', 'S3BucketName is required.');
      const arn = `arn:aws:cloudtrail:${caller.region}:${caller.account}:trail/${name}`;
      if (trails.some((t) => t.account === caller.account && t.name === name))
        throw new AwsError(
          'TrailAlreadyExistsException',
          `Trail ${name} already exists for customer: ${caller.account}`,
        );
      const trail: TrailRecord = {
        account: caller.account,
        homeRegion: caller.region,
        name,
        arn,
        s3BucketName: input.S3BucketName,
        multiRegion: input.IsMultiRegionTrail === true,
        organization: input.IsOrganizationTrail === true,
        includeGlobalServiceEvents: input.IncludeGlobalServiceEvents !== false,
        // A trail made by the API logs only after StartLogging (CloudTrail API Reference, StartLogging).
        logging: false,
        createdAt: now,
      };
      trails.push(trail);
      const { HomeRegion: _h, HasCustomEventSelectors: _c, HasInsightSelectors: _i, ...out } = view(trail);
      return out;
    }
    case 'DescribeTrails': {
      const names = Array.isArray(input.trailNameList) ? (input.trailNameList as string[]) : [];
      const shadows = input.includeShadowTrails !== false;
      return {
        trailList: visible(trails, caller)
          .filter((t) => shadows || t.homeRegion === caller.region)
          .filter((t) => names.length === 0 || names.includes(t.name) || names.includes(t.arn))
          .map(view),
      };
    }
    case 'GetTrailStatus': {
      const trail = find(trails, caller, input.Name);
      const out: Record<string, unknown> = { IsLogging: trail.logging };
      if (trail.startLoggingTime !== undefined) out.StartLoggingTime = trail.startLoggingTime / 1000;
      if (trail.stopLoggingTime !== undefined) out.StopLoggingTime = trail.stopLoggingTime / 1000;
      return out;
    }
    case 'StartLogging':
    case 'StopLogging': {
      const trail = find(trails, caller, input.Name);
      inHomeRegion(trail, caller);
      trail.logging = operation === 'StartLogging';
      if (trail.logging) trail.startLoggingTime = now;
      else trail.stopLoggingTime = now;
      return {};
    }
    default: {
      const trail = find(trails, caller, input.Name);
      inHomeRegion(trail, caller);
      trails.splice(trails.indexOf(trail), 1);
      return {};
    }
  }
}
