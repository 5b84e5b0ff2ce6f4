/**
 * The physical baseline for every HTTP figure: Node's own `http` server answering every
 * request with the reference page's example, and nothing else (no routing, no validation, no
 * logging). It runs in a process of its own, as Prism does, so that neither shares an event
 * loop with the load it is measured under. Prints `listening <port>` once it accepts requests.
 */
import { createServer } from 'node:http';
import { PAGE_EXAMPLE } from './page-example.ts';

const body = JSON.stringify(PAGE_EXAMPLE);
const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };

const server = createServer((request, response) => {
  // Read (and drop) any request body before answering, as a real server must.
  request.resume();
  request.once('end', () => {
    response.writeHead(200, headers);
    response.end(body);
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  console.log(`listening ${(server.address() as { port: number }).port}`);
});
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
