/**
 * The one error class of the emulator: an AWS service error that renders itself as AWS JSON 1.1
 * renders errors. The SDK takes the error name from `x-amzn-ErrorType` or the body's `__type`
 * (@smithy/core loadRestJsonErrorCode), so both are set; the message goes in `message`.
 */
export class AwsError extends Error {
  static readonly type = 'AwsError';
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = AwsError.type;
  }

  toBody(): { __type: string; message: string } {
    return { __type: this.code, message: this.message };
  }
}

export const notFound = (message: string): AwsError => new AwsError('NotFoundException', message);
export const invalidArn = (message: string): AwsError => new AwsError('InvalidArnException', message);
export const validation = (message: string): AwsError => new AwsError('ValidationException', message);
export const invalidState = (message: string): AwsError => new AwsError('KMSInvalidStateException', message);
export const disabled = (message: string): AwsError => new AwsError('DisabledException', message);
export const unsupported = (message: string): AwsError => new AwsError('UnsupportedOperationException', message);
