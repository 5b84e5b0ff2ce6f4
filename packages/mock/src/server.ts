/**
 * The one server factory, for the mock and for verify: a web-standard handler (`Request` in,
 * `Response` out) served on node:http, on loopback unless told otherwise.
 *
 * Written here rather than taken from an adapter library (@hono/node-server, @whatwg-node/server)
 * because of one thing those do not do: `Response.error()`, the web's network error, becomes a
 * connection reset (the mock's `reset_connection` fault), as `fetch` and MSW show it to their
 * callers. The rest is a dozen lines, and the package keeps no dependency for them.
 */
import { once } from 'node:events';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import { DEFAULTS } from './defaults.js';
import { PortInUseError } from './errors.js';

export type Handler = (request: Request) => Promise<Response>;

export interface Served {
  /** Such as `http://127.0.0.1:4010`. */
  url: string;
  host: string;
  port: number;
  /** Stops listening and closes every connection; resolves once the port is free. */
  close: () => Promise<void>;
}

export async function serve(handler: Handler, { port = 0, host = DEFAULTS.host }: { port?: number; host?: string } = {}): Promise<Served> {
  const server = createServer((incoming, outgoing) => {
    exchange(handler, incoming, outgoing).catch(() => {
      // The caller went away mid-request: no one is left to answer.
      outgoing.destroy();
    });
  });
  server.listen(port, host);
  try {
    await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(host, port);
    throw error;
  }
  const bound = (server.address() as { port: number }).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    host,
    port: bound,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function exchange(handler: Handler, incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (let i = 0; i < incoming.rawHeaders.length; i += 2) headers.append(incoming.rawHeaders[i]!, incoming.rawHeaders[i + 1]!);
  const method = incoming.method ?? 'GET';
  // A Buffer, not a string: a body sent without a Content-Type must reach the handler without one.
  const body = chunks.length && method !== 'GET' && method !== 'HEAD' ? Buffer.concat(chunks) : undefined;
  const response = await handler(
    new Request(`http://${incoming.headers.host ?? 'localhost'}${incoming.url ?? '/'}`, { method, headers, body }),
  );
  if (response.type === 'error') return void incoming.socket.resetAndDestroy();
  outgoing.writeHead(response.status, Object.fromEntries(response.headers));
  outgoing.end(response.body === null ? undefined : Buffer.from(await response.arrayBuffer()));
}
