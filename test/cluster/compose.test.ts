/**
 * The cluster's one source: docker-compose.yml read into the settings the cluster test runs with
 * (the full run is `npm run test:cluster`). Runs in `npm test`: no server needed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { interpolate, readComposeCluster } from '../../src/toolchain/cluster/compose';
import { serverEnv, templateForServer } from '../../src/toolchain/cluster/temporal-server';

const PORTS = {
  frontend: 1,
  frontendHttp: 2,
  frontendMembership: 3,
  history: 4,
  historyMembership: 5,
  matching: 6,
  matchingMembership: 7,
  worker: 8,
  workerMembership: 9,
};

describe('docker-compose.yml, read for the cluster test', () => {
  it('gives the server version, the PostgreSQL settings and the search attributes', () => {
    const c = readComposeCluster(undefined, {});
    expect(c.temporalVersion).toBe('1.29.1');
    expect(c.temporalEnv).toMatchObject({ DB: 'postgres12', DB_PORT: '5432', POSTGRES_USER: 'temporal' });
    expect(c.temporalEnv.POSTGRES_PWD).toBe(c.postgres.password);
    expect(c.postgres.user).toBe(c.temporalEnv.POSTGRES_USER);
    expect(c.namespace).toBe('default');
    // The compose file registers exactly the search attributes kms-retire uses.
    expect(c.searchAttributes.map((a) => `${a.name}=${a.type}`)).toEqual([
      'KmsKeyArn=Keyword',
      'KmsAccount=Keyword',
      'KmsRegion=Keyword',
      'RetirementPhase=Keyword',
      'TicketId=Keyword',
      'SoakEndsAt=Datetime',
      'KmsCampaign=Keyword',
      'CampaignState=Keyword',
    ]);
    expect(c.searchAttributeCommand).toContain('"${TEMPORAL_NAMESPACE:-default}"');
  });

  it('interpolates as docker-compose does: ${VAR:-default}, ${VAR-default}, $$', () => {
    expect(interpolate('${A:-x}', {})).toBe('x');
    expect(interpolate('${A:-x}', { A: '' })).toBe('x');
    expect(interpolate('${A-x}', { A: '' })).toBe('');
    expect(interpolate('${A:-x}', { A: 'y' })).toBe('y');
    expect(interpolate('$$HOME', {})).toBe('$HOME');
  });

  it('maps the compose settings onto the server environment, and refuses a PostgreSQL port the service does not listen on', () => {
    const c = readComposeCluster(undefined, { POSTGRES_PASSWORD: 's3cret' });
    const env = serverEnv(c, { host: '127.0.0.1', port: 55432 }, PORTS, '/tmp/dc.yaml');
    expect(env).toMatchObject({
      DB: 'postgres12',
      POSTGRES_SEEDS: '127.0.0.1',
      DB_PORT: '55432',
      POSTGRES_PWD: 's3cret',
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-'));
    const broken = path.join(dir, 'docker-compose.yml');
    fs.writeFileSync(broken, fs.readFileSync(c.file, 'utf8').replace('DB_PORT: 5432', 'DB_PORT: 5433'));
    expect(() => serverEnv(readComposeCluster(broken, {}), { host: '127.0.0.1', port: 1 }, PORTS, '')).toThrow(
      /DB_PORT=5433/,
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("spells the image's dockerize template for the server's own renderer (sprig)", () => {
    const t = templateForServer(
      [
        'level: {{ default .Env.LOG_LEVEL "info" }}',
        '{{ $s := default .Env.VISIBILITY_POSTGRES_SEEDS $d }}',
        '{{- if .Env.STATSD_ENDPOINT }}',
      ].join('\n'),
    );
    expect(t.split('\n')[0]).toMatch(/^# enable-template/);
    expect(t).toContain('{{ default "info" (env "LOG_LEVEL") }}');
    expect(t).toContain('{{ $s := default $d (env "VISIBILITY_POSTGRES_SEEDS") }}');
    expect(t).toContain('{{- if (env "STATSD_ENDPOINT") }}');
  });
});
