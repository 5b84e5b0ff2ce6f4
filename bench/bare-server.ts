/**
 * The baseline of every HTTP figure of the bench: Node's own `http` server on 127.0.0.1, on the
 * port its one argument names, answering every request with the reference page's example and
 * doing nothing else (no routing, no validation, no logging). The bench runs it as a process of its own, as it runs the mock.
 */
import { createServer } from 'node:http';
import { PAGE_RESPONSE_EXAMPLE } from '../tools/page-examples.ts';

const body = JSON.stringify(PAGE_RESPONSE_EXAMPLE);
const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };

const server = createServer((request, response) => {
  // Read (and drop) any request body before answering, as a real server must.
  request.resume();
  request.once('end', () => response.writeHead(200, headers).end(body));
});
server.keepAliveTimeout = 30_000;
server.listen(Number(process.argv[2]), '127.0.0.1');
