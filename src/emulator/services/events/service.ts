import { AwsError } from '../../core/errors';
import { awsJson, parseJsonBody, targetOperation } from '../../core/protocol/json';
import type { ServiceModule } from '../../core/service';
import {
  createEventBus,
  deleteEventBus,
  describeEventBus,
  listEventBuses,
  putPermission,
  removePermission,
} from './buses';
import type { EventsContext } from './context';
import type { EventDelivery } from './delivery';
import { putEvents } from './put-events';
import {
  deleteRule,
  describeRule,
  listRules,
  listTargetsByRule,
  putRule,
  putTargets,
  removeTargets,
  setRuleState,
  testEventPattern,
} from './rules';

type Handler = (ctx: EventsContext, input: Record<string, unknown>, delivery: EventDelivery) => Record<string, unknown>;

const HANDLERS: Record<string, Handler> = {
  PutRule: putRule,
  DescribeRule: describeRule,
  ListRules: listRules,
  DeleteRule: deleteRule,
  EnableRule: (ctx, input) => setRuleState(ctx, input, true),
  DisableRule: (ctx, input) => setRuleState(ctx, input, false),
  PutTargets: putTargets,
  ListTargetsByRule: listTargetsByRule,
  RemoveTargets: removeTargets,
  CreateEventBus: createEventBus,
  DescribeEventBus: describeEventBus,
  ListEventBuses: listEventBuses,
  DeleteEventBus: deleteEventBus,
  PutPermission: putPermission,
  RemovePermission: removePermission,
  PutEvents: putEvents,
  TestEventPattern: testEventPattern,
};
const READ_ONLY = new Set(['DescribeRule', 'ListRules', 'ListTargetsByRule', 'ListEventBuses', 'TestEventPattern']);

// EventBridge's AWS JSON 1.1 target prefix (EventBridge service model: AWSEvents).
const TARGET = 'AWSEvents.';

/** EventBridge over AWS JSON 1.1 (X-Amz-Target AWSEvents.<Op>). */
export const events: ServiceModule = {
  name: 'events',
  protocol: 'json-1.1',
  targets: [TARGET],
  denied: (message) => new AwsError('AccessDeniedException', message),
  readOnly: (operation) => READ_ONLY.has(operation),
  async serve(ctx, req) {
    const operation = targetOperation(req, TARGET);
    try {
      const input = parseJsonBody(req.body);
      await ctx.begin(operation);
      const handler = HANDLERS[operation];
      if (!handler)
        throw new AwsError('UnknownOperationException', `This emulator's EventBridge does not serve ${operation}.`);
      const body = handler(
        { state: ctx.store.eventbridge, caller: ctx.caller, now: ctx.now },
        input,
        ctx.core.eventDelivery,
      );
      return awsJson('1.1', ctx.requestId, { body });
    } catch (err) {
      if (err instanceof AwsError) return awsJson('1.1', ctx.requestId, { error: err });
      throw err;
    }
  },
};
