import type { ServiceModule, ServiceRequest } from '../core/service';
import { cloudformation } from './cloudformation/service';
import { cloudtrail } from './cloudtrail/service';
import { dynamodb } from './dynamodb/service';
import { ec2 } from './ec2/service';
import { eks } from './eks/service';
import { events } from './events/service';
import { kms } from './kms/service';
import { lambda } from './lambda/service';
import { logs } from './logs/service';
import { organizations } from './organizations/service';
import { rds } from './rds/service';
import { s3 } from './s3/service';
import { secretsmanager } from './secretsmanager/service';
import { sns } from './sns/service';
import { sqs } from './sqs/service';
import { sts } from './sts/service';
import { tagging } from './tagging/service';

/**
 * Every emulated service, the one list the router reads (core/router.ts). Adding a service is a
 * folder under services/ exporting a ServiceModule, and one line here (src/emulator/README.md).
 */
export const SERVICES: readonly ServiceModule[] = [
  kms,
  cloudtrail,
  tagging,
  sqs,
  events,
  sts,
  dynamodb,
  ec2,
  rds,
  s3,
  secretsmanager,
  lambda,
  logs,
  sns,
  eks,
  cloudformation,
  organizations,
];

const BY_NAME = new Map(SERVICES.map((s) => [s.name, s]));
const SCOPE = /Credential=[^/,\s]+\/\d{8}\/[^/,\s]+\/([^/,\s]+)\/aws4_request/;

/**
 * The service a request is for: its SigV4 credential scope's service, else (unsigned, or signed for
 * a service not emulated) the one whose X-Amz-Target prefix it carries, else one that claims it.
 */
export function serviceFor(req: ServiceRequest): ServiceModule | undefined {
  const scoped = req.meta.authorization ? SCOPE.exec(req.meta.authorization)?.[1] : undefined;
  const byScope = scoped ? BY_NAME.get(scoped) : undefined;
  if (byScope) return byScope;
  const target = req.headers.get('x-amz-target');
  if (target)
    return SERVICES.find((s) =>
      s.targets?.some((t) => (typeof t === 'string' ? target.startsWith(t) : t.test(target))),
    );
  return SERVICES.find((s) => s.claimsUnsigned?.(req));
}
