/**
 * The one source of the cluster's settings: docker-compose.yml. The `postgresql`, `temporal` and
 * `temporal-search-attributes` services are read with the `yaml` package and turned into what a
 * cluster on this machine needs, so that a wrong setting there fails here too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export interface ComposeCluster {
  file: string;
  /** The PostgreSQL image's major version (`postgres:16` → 16). */
  postgresImageVersion: string;
  /** What the postgres image creates at first start: its superuser, password and database (POSTGRES_DB, or the user's name). */
  postgres: { user: string; password: string; database: string };
  /** The auto-setup image's tag, which is the Temporal server version (`temporalio/auto-setup:1.29.1`). */
  temporalVersion: string;
  /** The `temporal` service's environment, interpolated (DB, DB_PORT, POSTGRES_USER, POSTGRES_PWD, POSTGRES_SEEDS). */
  temporalEnv: Record<string, string>;
  /** The compose service the server's POSTGRES_SEEDS names, and the port it listens on in its container. */
  postgresService: string;
  /** The `temporal-search-attributes` service's shell command, `$$` unescaped (as compose runs it). */
  searchAttributeCommand: string;
  /** The (name, type) pairs of its `for sa in …` loop. */
  searchAttributes: { name: string; type: string }[];
  /** The namespace that command registers them in (its `${TEMPORAL_NAMESPACE:-…}` default). */
  namespace: string;
  /** The Web UI image's tag (`temporalio/ui:2.42.1`). */
  uiVersion?: string;
}

type Service = { image?: string; environment?: Record<string, unknown> | string[]; command?: unknown };

export function defaultComposeFile(): string {
  // src/toolchain/cluster/ (or dist/toolchain/cluster/) → the repository root.
  return path.resolve(__dirname, '../../..', 'docker-compose.yml');
}

/** Compose's variable interpolation: `${VAR:-default}`, `${VAR-default}`, `${VAR}`, `$VAR`; `$$` is a literal `$`. */
export function interpolate(value: string, env: NodeJS.ProcessEnv): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, braced: string | undefined, colon: string | undefined, fallback: string | undefined, bare?: string) => {
      if (match === '$$') return '$';
      const name = braced ?? bare ?? '';
      const set = env[name];
      if (fallback === undefined) return set ?? '';
      if (colon) return set ? set : fallback;
      return set ?? fallback;
    },
  );
}

function environmentOf(service: Service, env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  const raw = service.environment ?? {};
  const entries: [string, unknown][] = Array.isArray(raw)
    ? raw.map((line) => {
        const [k, ...v] = String(line).split('=');
        return [k ?? '', v.join('=')];
      })
    : Object.entries(raw);
  for (const [key, value] of entries)
    out[key] = interpolate(
      typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '',
      env,
    );
  return out;
}

function tagOf(image: string | undefined, repository: string, file: string): string {
  const match = image === undefined ? null : new RegExp(`^${repository.replace('/', '\\/')}:([^@\\s]+)$`).exec(image);
  if (!match?.[1]) throw new Error(`${file}: expected image ${repository}:<tag>, found ${image ?? 'none'}`);
  return match[1];
}

function need(env: Record<string, string>, key: string, service: string, file: string): string {
  const value = env[key];
  if (value === undefined || value === '') throw new Error(`${file}: service ${service} sets no ${key}`);
  return value;
}

/** Reads docker-compose.yml (the environment fills `${…}` as docker-compose would). */
export function readComposeCluster(file = defaultComposeFile(), env: NodeJS.ProcessEnv = process.env): ComposeCluster {
  const doc = parse(fs.readFileSync(file, 'utf8'), { merge: true }) as { services?: Record<string, Service> };
  const services = doc.services ?? {};
  const service = (name: string): Service => {
    const s = services[name];
    if (!s) throw new Error(`${file}: no service ${name}`);
    return s;
  };
  const pg = service('postgresql');
  const pgEnv = environmentOf(pg, env);
  const temporal = service('temporal');
  const temporalEnv = environmentOf(temporal, env);
  const sa = service('temporal-search-attributes');

  const commandParts = (Array.isArray(sa.command) ? (sa.command as unknown[]) : [sa.command]).map((part) =>
    typeof part === 'string' ? part : '',
  );
  // Compose unescapes `$$` to `$` and leaves `${…}` inside the command to the container's shell.
  const searchAttributeCommand = commandParts.join(' ').replace(/\$\$/g, '$');
  const loop = /for\s+sa\s+in\s+([^;]+);/.exec(searchAttributeCommand);
  if (!loop?.[1]) throw new Error(`${file}: temporal-search-attributes has no "for sa in …;" loop`);
  const searchAttributes = loop[1]
    .trim()
    .split(/\s+/)
    .map((pair) => {
      const [name, type] = pair.split('=');
      if (!name || !type) throw new Error(`${file}: search attribute "${pair}" is not Name=Type`);
      return { name, type };
    });
  const ns = /--namespace\s+"?\$\{TEMPORAL_NAMESPACE:-([^}]+)\}"?/.exec(searchAttributeCommand);

  const seeds = need(temporalEnv, 'POSTGRES_SEEDS', 'temporal', file);
  if (!services[seeds]) throw new Error(`${file}: temporal's POSTGRES_SEEDS=${seeds} names no service`);
  const uiImage = services['temporal-ui']?.image;
  return {
    file,
    postgresImageVersion: tagOf(pg.image, 'postgres', file),
    postgres: {
      user: need(pgEnv, 'POSTGRES_USER', 'postgresql', file),
      password: pgEnv.POSTGRES_PASSWORD ?? '',
      database: pgEnv.POSTGRES_DB || need(pgEnv, 'POSTGRES_USER', 'postgresql', file),
    },
    temporalVersion: tagOf(temporal.image, 'temporalio/auto-setup', file),
    temporalEnv,
    postgresService: seeds,
    searchAttributeCommand,
    searchAttributes,
    namespace: env.TEMPORAL_NAMESPACE || (ns?.[1] ?? 'default'),
    uiVersion: uiImage ? tagOf(uiImage, 'temporalio/ui', file) : undefined,
  };
}
