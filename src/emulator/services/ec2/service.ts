import { AwsError } from '../../core/errors';
import type { ServiceModule } from '../../core/service';
import { serveQuery } from '../../core/protocol/query';
import { ebsDefaultHandlers } from './ebs-defaults';
import { instanceHandlers } from './instances';
import { snapshotHandlers } from './snapshots';
import { volumeHandlers } from './volumes';

/**
 * EC2 over its own Query protocol (API version 2016-11-15). An IAM denial answers
 * UnauthorizedOperation, HTTP 403 (EC2 API Reference, "Error codes").
 */
export const ec2: ServiceModule = {
  name: 'ec2',
  protocol: 'ec2',
  denied: (message) => new AwsError('UnauthorizedOperation', message, 403),
  serve: (ctx, req) =>
    serveQuery(ctx, req, {
      style: 'ec2',
      xmlns: 'http://ec2.amazonaws.com/doc/2016-11-15/',
      handlers: { ...volumeHandlers, ...instanceHandlers, ...snapshotHandlers, ...ebsDefaultHandlers },
    }),
};
