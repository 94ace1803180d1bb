import { randomUUID } from 'node:crypto';
import { AwsError } from '../../core/errors';
import { beginCall, type HostedAnswer, type RequestMeta, type ServiceHost } from '../../core/service';
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

const JSON_11 = 'application/x-amz-json-1.1';

/** One EventBridge call (AWS JSON 1.1, X-Amz-Target AWSEvents.<Op>). */
export async function handleEvents(
  host: ServiceHost & { readonly eventDelivery: EventDelivery },
  operation: string,
  input: Record<string, unknown>,
  meta: RequestMeta,
): Promise<HostedAnswer> {
  const requestId = randomUUID();
  try {
    const { caller, now } = await beginCall(host, operation, meta);
    const handler = HANDLERS[operation];
    if (!handler)
      throw new AwsError('UnknownOperationException', `This emulator's EventBridge does not serve ${operation}.`);
    const body = handler({ state: host.store.eventbridge, caller, now }, input, host.eventDelivery);
    if (!READ_ONLY.has(operation)) host.changed();
    return { status: 200, body, requestId, headers: { 'content-type': JSON_11 } };
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    return {
      status: err.status,
      body: err.toBody(),
      requestId,
      headers: { 'content-type': JSON_11, 'x-amzn-ErrorType': err.code },
    };
  }
}
