/**
 * The receiver's secrets, from the environment or from files (`*_FILE` variables or explicit
 * paths, as Docker and Kubernetes secrets are mounted). They are held as bytes and never logged,
 * echoed or passed to a workflow.
 */
import { readFileSync } from 'node:fs';

export type WebhookSource = 'generic' | 'jira' | 'servicenow';
export const SOURCES: readonly WebhookSource[] = ['generic', 'jira', 'servicenow'];

export type WebhookSecrets = Partial<Record<WebhookSource, Buffer>>;

export const SECRET_ENV: Record<WebhookSource, string> = {
  generic: 'KMS_RETIRE_WEBHOOK_SECRET',
  jira: 'KMS_RETIRE_JIRA_SECRET',
  servicenow: 'KMS_RETIRE_SERVICENOW_SECRET',
};

// Standard Webhooks recommends secrets of 24 to 64 bytes; below 16 an HMAC key is guessable.
const MIN_SECRET_BYTES = 16;

export class SecretError extends Error {
  static readonly type = 'SecretError';
  constructor(message: string) {
    super(message);
    this.name = SecretError.type;
  }
}

/**
 * Reads each source's secret: an explicit file path wins, then `<VAR>_FILE`, then `<VAR>`.
 * A source without a secret is disabled (its route answers 404).
 */
export function loadSecrets(
  env: NodeJS.ProcessEnv = process.env,
  files: Partial<Record<WebhookSource, string>> = {},
): WebhookSecrets {
  const secrets: WebhookSecrets = {};
  for (const source of SOURCES) {
    const name = SECRET_ENV[source];
    const file = files[source] ?? env[`${name}_FILE`];
    const text = file !== undefined && file !== '' ? readSecretFile(file, name) : env[name];
    if (text === undefined || text.trim() === '') continue;
    secrets[source] = parseSecret(text.trim(), source, name);
  }
  return secrets;
}

/** Turns a secret's text into key bytes: for the generic source a `whsec_` prefix means base64. */
export function parseSecret(text: string, source: WebhookSource, name = SECRET_ENV[source]): Buffer {
  let key: Buffer;
  if (source === 'generic' && text.startsWith('whsec_')) {
    const encoded = text.slice('whsec_'.length);
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded))
      throw new SecretError(`${name} starts with whsec_ but the rest is not base64.`);
    key = Buffer.from(encoded, 'base64');
  } else {
    key = Buffer.from(text, 'utf8');
  }
  if (key.length < MIN_SECRET_BYTES) {
    throw new SecretError(
      `${name} is too short (${key.length} bytes); use at least ${MIN_SECRET_BYTES} random bytes, e.g. \`openssl rand -base64 32\`.`,
    );
  }
  return key;
}

function readSecretFile(file: string, name: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const reason = err instanceof Error && 'code' in err ? String(err.code) : 'unreadable';
    throw new SecretError(`cannot read the secret file for ${name} at ${file} (${reason}).`);
  }
}
