import { AwsError } from '../../core/errors';
import { awsJson, parseJsonBody } from '../../core/protocol/json';
import type { ServiceModule } from '../../core/service';
import { lookupEvents } from './lookup-events';
import { handleTrails, TRAIL_OPERATIONS } from './trails';

// CloudTrail's JSON 1.1 target prefix (CloudTrail service model: awsJson1_1, CloudTrail_20131101).
const TARGET = /(?:^|\.)CloudTrail_20131101\.(\w+)$/;
const READS = new Set(['LookupEvents', 'DescribeTrails', 'GetTrailStatus']);

/** CloudTrail: LookupEvents (under the per account+Region rate limit) and the trail operations. */
export const cloudtrail: ServiceModule = {
  name: 'cloudtrail',
  protocol: 'json-1.1',
  targets: [TARGET],
  countsPeaks: true,
  denied: (message) => new AwsError('AccessDeniedException', message),
  readOnly: (operation) => READS.has(operation),
  async serve(ctx, req) {
    const { core, caller, now } = ctx;
    const operation = TARGET.exec(req.headers.get('x-amz-target') ?? '')?.[1] ?? '';
    try {
      const input = parseJsonBody(req.body);
      if (TRAIL_OPERATIONS.has(operation)) {
        await ctx.begin(operation);
        return awsJson('1.1', ctx.requestId, { body: handleTrails(ctx.store.trails, caller, operation, input, now) });
      }
      if (operation !== 'LookupEvents')
        throw new AwsError(
          'UnknownOperationException',
          `This emulator's CloudTrail answers LookupEvents and the trail operations only, not ${operation}.`,
        );
      await ctx.begin(operation, {
        admit: () => {
          if (!core.lookupLimiter.take(`${caller.account}/${caller.region}`, now))
            throw new AwsError('ThrottlingException', 'Rate exceeded');
        },
      });
      return awsJson('1.1', ctx.requestId, { body: lookupEvents(ctx.store, caller, input, now) });
    } catch (err) {
      if (err instanceof AwsError) return awsJson('1.1', ctx.requestId, { error: err });
      throw err;
    }
  },
};
