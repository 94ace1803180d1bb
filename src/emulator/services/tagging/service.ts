import { AwsError } from '../../core/errors';
import { awsJson, parseJsonBody, targetOperation } from '../../core/protocol/json';
import type { ServiceModule } from '../../core/service';
import { purgeExpiredKeys } from '../kms/deletion';
import { handleTagging } from './operations';

// The Resource Groups Tagging API's JSON 1.1 target prefix (its service model: ResourceGroupsTaggingAPI_20170126).
const TARGET = 'ResourceGroupsTaggingAPI_20170126.';

/** The Resource Groups Tagging API over the KMS keys (not recorded in CloudTrail, not rate-limited). */
export const tagging: ServiceModule = {
  name: 'tagging',
  protocol: 'json-1.1',
  targets: [TARGET],
  countsPeaks: true,
  denied: (message) => new AwsError('AccessDeniedException', message),
  async serve(ctx, req) {
    const operation = targetOperation(req, TARGET);
    try {
      const input = parseJsonBody(req.body);
      // Keys past their deletion date are gone before the tagging API lists them (as for KMS calls).
      purgeExpiredKeys(ctx.store, ctx.now);
      await ctx.begin(operation);
      return awsJson('1.1', ctx.requestId, { body: handleTagging(ctx.store, ctx.caller, operation, input, ctx.now) });
    } catch (err) {
      if (err instanceof AwsError) return awsJson('1.1', ctx.requestId, { error: err });
      throw err;
    }
  },
};
