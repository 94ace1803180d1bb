/**
 * ARNs, read in one place: arn:partition:service:region:account-id:resource (AWS General Reference,
 * "Amazon Resource Names"). The resource part keeps any further colons (a log group's ARN has them).
 */
export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

/** The parts of an ARN; a string that is not one has empty parts (callers compare, they do not throw). */
export function parseArn(text: string): Arn {
  const parts = text.split(':');
  if (parts.length < 6 || parts[0] !== 'arn')
    return { partition: '', service: '', region: '', account: '', resource: '' };
  const [, partition = '', service = '', region = '', account = ''] = parts;
  return { partition, service, region, account, resource: parts.slice(5).join(':') };
}
