import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cliTypeName, SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';

interface Service {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(fs.readFileSync(path.resolve(__dirname, '../../docker-compose.yml'), 'utf8'), {
  merge: true,
}) as {
  services: Record<string, Service>;
};

describe('docker-compose.yml', () => {
  it('runs Temporal on PostgreSQL with its Web UI, the worker, the webhook receiver and the emulator', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['postgresql', 'temporal', 'temporal-ui', 'worker', 'webhook', 'emulator']),
    );
    expect(compose.services.temporal?.environment?.DB).toBe('postgres12');
    expect(compose.services.worker?.command).toEqual(['worker']);
    expect(compose.services.webhook?.command).toEqual(expect.arrayContaining(['webhook', '--port', '8787']));
  });

  it('configures kms-retire through the standard Temporal and AWS environment', () => {
    for (const name of ['worker', 'webhook']) {
      const env = compose.services[name]?.environment ?? {};
      expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
      expect(env.AWS_ENDPOINT_URL).toMatch(/emulator:4566/);
      expect(env.AWS_REGION).toBeTruthy();
    }
  });

  it('registers exactly the search attributes of the contract', () => {
    const command = compose.services['temporal-search-attributes']?.command;
    const text = Array.isArray(command) ? command.join(' ') : String(command);
    const registered = [...text.matchAll(/(\w+)=(\w+)/g)].map((m) => `${m[1]}=${m[2]}`);
    expect(registered.sort()).toEqual(SEARCH_ATTRIBUTES.map((k) => `${k.name}=${cliTypeName(k.type)}`).sort());
  });
});
