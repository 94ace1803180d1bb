/** Serves a webhook app over HTTP with @hono/node-server; close() stops accepting and drains. */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export function startWebhookServer(app: Hono, options: { port: number; host: string }): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    // Senders deliver small bodies at once; a client that trickles its request is cut off.
    const serverOptions = { headersTimeout: 15_000, requestTimeout: 30_000 };
    const server = serve(
      { fetch: app.fetch, port: options.port, hostname: options.host, serverOptions },
      (info: AddressInfo) => {
        const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
        resolve({
          url: `http://${host}:${info.port}`,
          port: info.port,
          close: () =>
            new Promise<void>((done, fail) => {
              server.close((err) => (err ? fail(err) : done()));
              // Keep-alive connections would hold close() open until they time out.
              if ('closeIdleConnections' in server) server.closeIdleConnections();
            }),
        });
      },
    );
    server.once('error', reject);
  });
}
