import { AwsError } from '../../core/errors';

/**
 * An SQS error in the AWS JSON 1.0 protocol with query compatibility (SQS service model:
 * awsQueryCompatible): the body's `__type` is the shape id ("com.amazonaws.sqs#QueueDoesNotExist")
 * and `x-amzn-query-error` carries the old Query-API code and fault ("AWS.SimpleQueueService.NonExistentQueue;Sender"),
 * from which the SDK picks the error class (@aws-sdk/core, AwsJsonRpcProtocol.handleError).
 */
export class SqsError extends AwsError {
  constructor(
    code: string,
    message: string,
    readonly queryCode: string = code,
    status = 400,
    readonly namespace = 'com.amazonaws.sqs',
  ) {
    super(code, message, status);
  }

  override toBody(): { __type: string; message: string } {
    return { __type: `${this.namespace}#${this.code}`, message: this.message };
  }
}

// Codes and query codes from @aws-sdk/client-sqs's error schemas (awsQueryError trait); messages are AWS's.
export const queueDoesNotExist = (): SqsError =>
  new SqsError('QueueDoesNotExist', 'The specified queue does not exist.', 'AWS.SimpleQueueService.NonExistentQueue');

/** Out-of-range or malformed parameters: AWS answers a coral ValidationException, query code InvalidParameterValue. */
export const invalidParameter = (message: string): SqsError =>
  new SqsError('ValidationException', message, 'InvalidParameterValue', 400, 'com.amazon.coral.validate');

export const missingParameter = (name: string): SqsError =>
  new SqsError(
    'ValidationException',
    `The request must contain the parameter ${name}.`,
    'MissingParameter',
    400,
    'com.amazon.coral.validate',
  );

export const invalidAttributeName = (name: string): SqsError =>
  new SqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);

export const invalidAttributeValue = (name: string, reason: string): SqsError =>
  new SqsError('InvalidAttributeValue', `Invalid value for the parameter ${name}. Reason: ${reason}`);

export const receiptHandleIsInvalid = (handle: string): SqsError =>
  new SqsError(
    'ReceiptHandleIsInvalid',
    `The input receipt handle "${handle}" is not a valid receipt handle.`,
    'ReceiptHandleIsInvalid',
    404,
  );
