/**
 * How each AWS service says "slow down" and "we failed", in its own protocol, so the fault proxy's
 * answers are parsed by the real SDK as AWS's would be: the service is read off the request (the
 * SigV4 credential scope, else X-Amz-Target, else the host or path), and its error rendered as that
 * service's protocol renders errors (AWS SDK protocols awsJson1_0/1_1, restJson1, ec2Query, awsQuery,
 * restXml; the emulator serves the same shapes, src/emulator/services/protocol/).
 */
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { escapeXml } from '../../src/emulator/core/protocol/xml';

export type Protocol = 'json1.0' | 'json1.1' | 'rest-json' | 'ec2' | 'query' | 'rest-xml';

export interface ErrorAnswer {
  status: number;
  code: string;
  message: string;
  /** The SDK's name for it when its model renames the wire code (SNS: InternalError → InternalErrorException). */
  sdkName?: string;
}

export interface ServiceFaults {
  protocol: Protocol;
  throttle: ErrorAnswer;
  serverError: ErrorAnswer;
  /** The awsQuery XML namespace (RDS, SNS, STS), as their ErrorResponse carries it. */
  xmlns?: string;
  /** JSON with the Query codes kept (SQS: awsQueryCompatible), sent in x-amzn-query-error too. */
  queryCompatible?: boolean;
}

const RATE: ErrorAnswer = { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' };
const INTERNAL = 'We encountered an internal error. Please try again.';
const query = (xmlns: string, serverError: Omit<ErrorAnswer, 'status' | 'message'>): ServiceFaults => ({
  protocol: 'query',
  xmlns,
  throttle: { status: 400, code: 'Throttling', message: 'Rate exceeded' },
  serverError: { status: 500, message: INTERNAL, ...serverError },
});

/**
 * By SigV4 signing name. Throttling and server-error codes are each service's own (its API
 * Reference's "Common Errors" or modeled exceptions): EC2 answers RequestLimitExceeded with 503,
 * S3 SlowDown with 503, Lambda TooManyRequestsException with 429, SQS RequestThrottled.
 */
export const SERVICE_FAULTS: Record<string, ServiceFaults> = {
  kms: {
    protocol: 'json1.1',
    throttle: RATE,
    serverError: { status: 500, code: 'KMSInternalException', message: INTERNAL },
  },
  cloudtrail: {
    protocol: 'json1.1',
    throttle: RATE,
    serverError: { status: 500, code: 'InternalFailure', message: INTERNAL },
  },
  dynamodb: {
    protocol: 'json1.0',
    throttle: { ...RATE, message: 'Rate of requests exceeds the allowed throughput.' },
    serverError: { status: 500, code: 'InternalServerError', message: INTERNAL },
  },
  secretsmanager: {
    protocol: 'json1.1',
    throttle: RATE,
    serverError: { status: 500, code: 'InternalServiceError', message: INTERNAL },
  },
  logs: {
    protocol: 'json1.1',
    throttle: RATE,
    serverError: {
      status: 500,
      code: 'ServiceUnavailableException',
      message: 'The service cannot complete the request.',
    },
  },
  sqs: {
    protocol: 'json1.0',
    queryCompatible: true,
    throttle: { status: 400, code: 'RequestThrottled', message: 'Request is throttled.' },
    serverError: { status: 500, code: 'InternalFailure', message: INTERNAL },
  },
  events: {
    protocol: 'json1.1',
    throttle: RATE,
    serverError: { status: 500, code: 'InternalException', message: INTERNAL },
  },
  config: {
    protocol: 'json1.1',
    throttle: RATE,
    serverError: { status: 500, code: 'InternalFailure', message: INTERNAL },
  },
  tagging: {
    protocol: 'json1.1',
    throttle: { status: 400, code: 'ThrottledException', message: 'Rate exceeded' },
    serverError: { status: 500, code: 'InternalServiceException', message: INTERNAL },
  },
  lambda: {
    protocol: 'rest-json',
    throttle: { status: 429, code: 'TooManyRequestsException', message: 'Rate exceeded' },
    serverError: { status: 500, code: 'ServiceException', message: INTERNAL },
  },
  eks: {
    protocol: 'rest-json',
    throttle: RATE,
    serverError: { status: 500, code: 'ServerException', message: INTERNAL },
  },
  ec2: {
    protocol: 'ec2',
    throttle: { status: 503, code: 'RequestLimitExceeded', message: 'Request limit exceeded.' },
    serverError: { status: 500, code: 'InternalError', message: 'An internal error has occurred.' },
  },
  rds: query('http://rds.amazonaws.com/doc/2014-10-31/', { code: 'InternalFailure' }),
  sns: query('http://sns.amazonaws.com/doc/2010-03-31/', { code: 'InternalError', sdkName: 'InternalErrorException' }),
  sts: query('https://sts.amazonaws.com/doc/2011-06-15/', { code: 'InternalFailure' }),
  s3: {
    protocol: 'rest-xml',
    throttle: { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' },
    serverError: { status: 500, code: 'InternalError', message: INTERNAL },
  },
};

const SCOPE = /Credential=[^/,\s]+\/\d{8}\/[^/,\s]+\/([^/,\s]+)\/aws4_request/;

// Unsigned requests: the JSON protocols name their service in X-Amz-Target, Query ones their API
// version, REST ones their path.
const TARGETS: [string, string][] = [
  ['TrentService.', 'kms'],
  ['com.amazonaws.cloudtrail.', 'cloudtrail'],
  ['CloudTrail_', 'cloudtrail'],
  ['DynamoDB_', 'dynamodb'],
  ['secretsmanager.', 'secretsmanager'],
  ['Logs_', 'logs'],
  ['AmazonSQS.', 'sqs'],
  ['AWSEvents.', 'events'],
  ['StarlingDoveService.', 'config'],
  ['ResourceGroupsTaggingAPI_', 'tagging'],
];
const VERSIONS: Record<string, string> = {
  '2016-11-15': 'ec2',
  '2014-10-31': 'rds',
  '2010-03-31': 'sns',
  '2011-06-15': 'sts',
};

export interface ServiceCall {
  /** The signing name, or undefined for a request that is not an AWS API call (the emulator's admin API). */
  service: string | undefined;
  operation: string;
}

/** Which service and operation a request is for. */
export function identify(req: http.IncomingMessage, body: string): ServiceCall {
  const url = new URL(req.url ?? '/', 'http://proxy');
  const target = String(req.headers['x-amz-target'] ?? '');
  const form = /x-www-form-urlencoded/.test(String(req.headers['content-type'] ?? ''))
    ? new URLSearchParams(body)
    : url.searchParams;
  const service =
    SCOPE.exec(String(req.headers.authorization ?? ''))?.[1] ??
    TARGETS.find(([prefix]) => target.startsWith(prefix))?.[1] ??
    VERSIONS[form.get('Version') ?? ''] ??
    byHostOrPath(String(req.headers.host ?? ''), url.pathname);
  const operation = target
    ? target.slice(target.indexOf('.') + 1)
    : (form.get('Action') ?? restOperation(service, req.method ?? 'GET', url));
  return { service: service && SERVICE_FAULTS[service] ? service : undefined, operation };
}

function byHostOrPath(host: string, path: string): string | undefined {
  if (path.startsWith('/_emulator')) return undefined;
  const label = host.split('.')[0] ?? '';
  if (SERVICE_FAULTS[label] && host.includes('amazonaws.com')) return label;
  if (path.startsWith('/2015-03-31/functions')) return 'lambda';
  if (path.startsWith('/clusters')) return 'eks';
  return undefined;
}

// The REST operations the probes make, by name; any other as METHOD /path.
function restOperation(service: string | undefined, method: string, url: URL): string {
  if (service === 's3') {
    if (url.pathname === '/' && method === 'GET') return 'ListBuckets';
    if (url.searchParams.has('encryption')) return 'GetBucketEncryption';
  }
  if (service === 'lambda' && method === 'GET' && /^\/2015-03-31\/functions\/?$/.test(url.pathname))
    return 'ListFunctions';
  if (service === 'eks' && method === 'GET')
    return /^\/clusters\/?$/.test(url.pathname) ? 'ListClusters' : 'DescribeCluster';
  return `${method} ${url.pathname}`;
}

/** Answers the request with this error, rendered in the service's protocol. */
export function sendError(res: http.ServerResponse, faults: ServiceFaults, answer: ErrorAnswer): void {
  const requestId = randomUUID();
  const headers: Record<string, string> = {};
  let body: string;
  const { code, message } = answer;
  switch (faults.protocol) {
    case 'json1.0':
    case 'json1.1':
      headers['content-type'] = `application/x-amz-json-${faults.protocol.slice(4)}`;
      headers['x-amzn-requestid'] = requestId;
      if (faults.queryCompatible)
        headers['x-amzn-query-error'] = `${code};${answer.status >= 500 ? 'Receiver' : 'Sender'}`;
      body = JSON.stringify({ __type: code, message });
      break;
    case 'rest-json':
      headers['content-type'] = 'application/json';
      headers['x-amzn-requestid'] = requestId;
      headers['x-amzn-errortype'] = code;
      if (answer.status === 429) headers['retry-after'] = '1';
      body = JSON.stringify({ Type: answer.status >= 500 ? 'Service' : 'User', message });
      break;
    case 'ec2':
      headers['content-type'] = 'text/xml;charset=UTF-8';
      body = `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
      break;
    case 'query':
      headers['content-type'] = 'text/xml';
      headers['x-amzn-requestid'] = requestId;
      body = `<ErrorResponse xmlns="${faults.xmlns ?? ''}"><Error><Type>${answer.status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
      break;
    case 'rest-xml':
      headers['content-type'] = 'application/xml';
      headers['x-amz-request-id'] = requestId;
      body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message><RequestId>${requestId}</RequestId><HostId>fault-proxy</HostId></Error>`;
      break;
  }
  headers['content-length'] = String(Buffer.byteLength(body));
  res.writeHead(answer.status, headers);
  res.end(body);
}
