/**
 * The AWS actions the code of kms-retire calls, derived from the source itself: every
 * `new XxxCommand(` of an AWS SDK client imported in src/ (outside the emulator, which serves AWS
 * rather than calling it, and the bench and demo, which play the keys' users), and STS AssumeRole wherever the SDK's fromTemporaryCredentials is used.
 */
import fs from 'node:fs';
import path from 'node:path';

export const SRC = path.resolve(__dirname, '../../src');

/**
 * Directories under src/ whose AWS "calls" are not kms-retire's: the emulator answers them; the
 * bench and the demo play the keys' own users against the emulator (Encrypt of a disabled key).
 */
const NOT_CALLERS = new Set(['emulator', 'bench', 'demo']);

// IAM service prefixes of the SDK packages (Service Authorization Reference: "Actions defined by …").
const SERVICE_PREFIX: Record<string, string> = {
  kms: 'kms',
  cloudtrail: 'cloudtrail',
  sts: 'sts',
  iam: 'iam',
  dynamodb: 'dynamodb',
  ec2: 'ec2',
  rds: 'rds',
  s3: 's3',
  'secrets-manager': 'secretsmanager',
  lambda: 'lambda',
  'cloudwatch-logs': 'logs',
  sns: 'sns',
  sqs: 'sqs',
  eks: 'eks',
  'config-service': 'config',
  eventbridge: 'events',
  cloudformation: 'cloudformation',
  organizations: 'organizations',
};

// Operations whose IAM action has another name (Service Authorization Reference, Amazon S3:
// ListBuckets is authorised by s3:ListAllMyBuckets, GetBucketEncryption by s3:GetEncryptionConfiguration).
const ACTION_OF_OPERATION: Record<string, string> = {
  's3:ListBuckets': 's3:ListAllMyBuckets',
  's3:GetBucketEncryption': 's3:GetEncryptionConfiguration',
};

// Batch calls authorised as their single action (SQS Developer Guide, "Amazon SQS API permissions":
// DeleteMessageBatch needs sqs:DeleteMessage, SendMessageBatch sqs:SendMessage, …).
const AUTHORISED_AS: Record<string, string> = {
  'sqs:DeleteMessageBatch': 'sqs:DeleteMessage',
  'sqs:SendMessageBatch': 'sqs:SendMessage',
  'sqs:ChangeMessageVisibilityBatch': 'sqs:ChangeMessageVisibility',
};

export interface ActionUse {
  action: string;
  file: string;
}

function sourceFiles(root: string, dir = root): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return dir === root && NOT_CALLERS.has(entry.name) ? [] : sourceFiles(root, full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** `import { A, B as C } from '@aws-sdk/client-x'` → local name → [service, exported name]. */
function sdkImports(text: string): Map<string, [string, string]> {
  const out = new Map<string, [string, string]>();
  for (const m of text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+['"]@aws-sdk\/client-([a-z0-9-]+)['"]/g)) {
    const [, names, pkg] = m as unknown as [string, string, string];
    for (const part of names.split(',')) {
      const [exported, local] = part
        .replace(/\btype\s+/, '')
        .trim()
        .split(/\s+as\s+/);
      if (exported) out.set((local ?? exported).trim(), [pkg, exported.trim()]);
    }
  }
  return out;
}

/** Every AWS action called from src/, with the file that calls it. */
export function actionsCalledByCode(root = SRC): ActionUse[] {
  const uses: ActionUse[] = [];
  for (const file of sourceFiles(root)) {
    const text = fs.readFileSync(file, 'utf8');
    const imports = sdkImports(text);
    for (const m of text.matchAll(/\bnew\s+([A-Za-z0-9_]+)\s*\(/g)) {
      const imported = imports.get(m[1] as string);
      if (!imported || !imported[1].endsWith('Command')) continue;
      const prefix = SERVICE_PREFIX[imported[0]];
      if (!prefix)
        throw new Error(
          `${path.relative(root, file)} calls ${imported[1]} of @aws-sdk/client-${imported[0]}: add its IAM prefix to aws-actions.ts.`,
        );
      const operation = `${prefix}:${imported[1].replace(/Command$/, '')}`;
      const action = ACTION_OF_OPERATION[operation] ?? AUTHORISED_AS[operation] ?? operation;
      uses.push({ action, file: path.relative(root, file) });
    }
    // The credential provider calls STS AssumeRole on the role it is given.
    if (/\bfromTemporaryCredentials\s*\(/.test(text))
      uses.push({ action: 'sts:AssumeRole', file: path.relative(root, file) });
  }
  return uses;
}

export interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

export interface PolicyDocument {
  Version: string;
  Statement: PolicyStatement[];
}

export function readPolicy(file = path.resolve(__dirname, '../../docs/iam-policy.json')): PolicyDocument {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as PolicyDocument;
}

const actionsOf = (s: PolicyStatement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

/** The actions the policy grants (its Allow statements). */
export function policyActions(policy: PolicyDocument): string[] {
  return policy.Statement.filter((s) => s.Effect === 'Allow').flatMap(actionsOf);
}

/** The policy's Deny statements: guardrails on actions it also grants. */
export function policyDenies(policy: PolicyDocument): PolicyStatement[] {
  return policy.Statement.filter((s) => s.Effect === 'Deny');
}

export { actionsOf };
