/**
 * The one server factory, for the mock and for verify: a pipeline of plain values (`Incoming` in,
 * `Outgoing` out, exchange.ts) served on node:http, on loopback unless told otherwise. A null
 * answer resets the connection (the mock's `reset_connection` fault).
 *
 * Written here rather than taken from an adapter library (@hono/node-server, @whatwg-node/server):
 * those serve web `Request`/`Response` handlers, and making those objects for every request cost
 * the mock a fifth of its throughput. What is left is a dozen lines.
 */
import { once } from 'node:events';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import { DEFAULTS } from './defaults.js';
import { PortInUseError } from './errors.js';
import type { Incoming, Outgoing } from './exchange.js';

export type Respond = (request: Incoming) => Promise<Outgoing | null>;

export interface Served {
  /** Such as `http://127.0.0.1:4010`. */
  url: string;
  host: string;
  port: number;
  /** Stops listening and closes every connection; resolves once the port is free. */
  close: () => Promise<void>;
}

export async function serve(respond: Respond, { port = 0, host = DEFAULTS.host }: { port?: number; host?: string } = {}): Promise<Served> {
  const server = createServer((incoming, outgoing) => {
    exchange(respond, incoming, outgoing).catch(() => {
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

async function exchange(respond: Respond, incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const declared = incoming.headers['content-length'] !== undefined || incoming.headers['transfer-encoding'] !== undefined;
  const body = declared && chunks.length ? Buffer.concat(chunks).toString('utf8') : null;
  const url = new URL(incoming.url ?? '/', `http://${incoming.headers.host ?? 'localhost'}`);
  const answer = await respond({ method: incoming.method ?? 'GET', url, headers: incoming.headers, body });
  if (answer === null) return void incoming.socket.resetAndDestroy();
  outgoing.writeHead(answer.status, answer.headers);
  outgoing.end(answer.body ?? undefined);
}
