/**
 * Real HTTP(S) servers on loopback for the fault cases: each counts the requests it gets and
 * closes every connection it holds when stopped.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions } from 'node:https';
import { once } from 'node:events';

export type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => unknown;

export interface TestServer {
  url: string;
  /** Requests received so far, with their headers. */
  requests: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[];
  close: () => Promise<void>;
}

/** Over HTTPS when given a key and certificate, and any other TLS option (a client certificate required, say). */
export async function startServer(handler: Handler, tls?: ServerOptions & { key: string; cert: string }): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  const onRequest = (request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      requests.push({ method: request.method!, url: request.url!, headers: request.headers, body });
      void handler(request, response, body);
    });
  };
  const server = tls ? createHttpsServer(tls, onRequest) : createHttpServer(onRequest);
  const sockets = new Set<import('node:net').Socket>();
  server.on(tls ? 'secureConnection' : 'connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Sends JSON with the given status. */
export const json = (response: ServerResponse, status: number, value: unknown) => {
  const text = JSON.stringify(value);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
};

/** What a well-behaved server answers to GET: the reference page's example. */
export { PAGE_RESPONSE_EXAMPLE as PAGE_EXAMPLE } from './facts.ts';
