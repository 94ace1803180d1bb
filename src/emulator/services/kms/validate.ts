import { AwsError } from '../../core/errors';
import type { Input } from './context';

/**
 * Request validation in the words AWS's front end uses (the same "N validation error detected"
 * text appears in LocalStack's recorded AWS snapshots, tests/aws/services/kms/test_kms.snapshot.json).
 */
/** A request value as AWS quotes it in validation messages. */
const show = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

const lowerFirst = (field: string): string => field.charAt(0).toLowerCase() + field.slice(1);

export function requireString(input: Input, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value === '') {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value ${value === undefined ? 'null' : `'${show(value)}'`} at '${lowerFirst(field)}' ` +
        'failed to satisfy constraint: Member must not be null',
    );
  }
  return value;
}

export function optionalInt(input: Input, field: string, min: number, max: number): number | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${show(value)}' at '${lowerFirst(field)}' failed to satisfy constraint: Member must be an integer`,
    );
  }
  if (value < min) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${value}' at '${lowerFirst(field)}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`,
    );
  }
  if (value > max) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${value}' at '${lowerFirst(field)}' failed to satisfy constraint: Member must have value less than or equal to ${max}`,
    );
  }
  return value;
}

export function requireOneOf<T extends string>(input: Input, field: string, allowed: readonly T[], fallback: T): T {
  const value = input[field];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${show(value)}' at '${lowerFirst(field)}' failed to satisfy constraint: ` +
        `Member must satisfy enum value set: [${allowed.join(', ')}]`,
    );
  }
  return value as T;
}

export function base64Blob(input: Input, field: string): Buffer {
  const text = requireString(input, field);
  return Buffer.from(text, 'base64');
}
