/**
 * The worker's `/metrics` endpoint: kms-retire's own metrics (prom-client) followed by the
 * Temporal SDK's runtime metrics, which the SDK's own Prometheus exporter serves on a loopback port
 * of this process (`sdkMetricsUrl`). One port, one scrape.
 */
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

export async function serveMetrics(options: {
  port: number;
  host?: string;
  registry: Registry;
  /** The SDK exporter's address, e.g. http://127.0.0.1:40123/metrics. */
  sdkMetricsUrl?: string;
}): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(path === '/metrics' ? 405 : 404, { 'content-type': 'text/plain' });
      res.end(path === '/metrics' ? 'GET only\n' : 'not found: try GET /metrics\n');
      return;
    }
    void scrape(options.registry, options.sdkMetricsUrl).then(
      (text) => {
        res.writeHead(200, { 'content-type': options.registry.contentType });
        res.end(text);
      },
      (err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`metrics failed: ${err instanceof Error ? err.message : String(err)}\n`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function scrape(registry: Registry, sdkMetricsUrl: string | undefined): Promise<string> {
  const own = await registry.metrics();
  if (!sdkMetricsUrl) return own;
  try {
    const res = await fetch(sdkMetricsUrl, { signal: AbortSignal.timeout(5000) });
    return `${own}\n${await res.text()}`;
  } catch (err) {
    // kms-retire's own metrics still answer when the SDK's exporter does not.
    return `${own}\n# the Temporal SDK's metrics are unavailable: ${err instanceof Error ? err.message : String(err)}\n`;
  }
}

/** A free loopback port for the SDK's exporter (bound by the SDK right after). */
export async function freeLoopbackPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
