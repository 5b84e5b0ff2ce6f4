/**
 * The client against real loopback servers that misbehave, one server per case. Each case
 * names what the server does and what the client must do about it.
 */
import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditingApiError, AuditingNetworkError, createAuditingClient } from '../src/index.ts';
import { json, PAGE_EXAMPLE, startServer, type Handler, type TestServer } from './support/servers.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function against(handler: Handler, timeoutMs?: number) {
  server = await startServer(handler);
  return createAuditingClient({ baseUrl: server.url, username: 'admin@example.com', password: 'fault-password', timeoutMs });
}

describe('a server that misbehaves', () => {
  it('refuses the connection: AuditingNetworkError ECONNREFUSED', async () => {
    const closed = createServer().listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    const auditing = createAuditingClient({ baseUrl: `http://127.0.0.1:${port}`, username: 'u', password: 'p' });
    const error = await auditing.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditingNetworkError);
    expect((error as AuditingNetworkError).code).toBe('ECONNREFUSED');
    expect((error as AuditingNetworkError).cause).toBeInstanceOf(Error);
  });

  it('resets the connection: AuditingNetworkError', async () => {
    const auditing = await against((request) => request.socket.destroy());
    const error = await auditing.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditingNetworkError);
    expect((error as AuditingNetworkError).code).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
  });

  it('cannot be found by name: AuditingNetworkError ENOTFOUND', async () => {
    const auditing = createAuditingClient({ baseUrl: 'https://cluster.invalid:9443', username: 'u', password: 'p' });
    const error = await auditing.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditingNetworkError);
    expect((error as AuditingNetworkError).code).toMatch(/ENOTFOUND|EAI_AGAIN/);
  });

  it('never answers: the timeout fires and the socket is released', async () => {
    let socket: import('node:net').Socket | undefined;
    const auditing = await against((request) => void (socket = request.socket), 300);
    const started = Date.now();
    const error = await auditing.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditingNetworkError);
    expect((error as AuditingNetworkError).code).toBe('timeout');
    expect((error as Error).message).toBe('GET /v1/cluster/auditing/db_conns timed out after 300 ms');
    expect(Date.now() - started).toBeLessThan(5000); // a bound against hanging, not a timing claim
    // The connection that carried the request is closed, not left hanging for the server.
    await expect.poll(() => socket?.closed, { timeout: 1000 }).toBe(true);
  });

  it('sends the body too slowly: the timeout covers the body', async () => {
    const auditing = await against((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"audit_port":');
      // the rest never comes
    }, 300);
    const error = await auditing.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditingNetworkError);
    expect((error as AuditingNetworkError).code).toBe('timeout');
  });

  it('sends the body slowly but within the timeout: the call succeeds', async () => {
    const auditing = await against((_request, response) => {
      const text = JSON.stringify(PAGE_EXAMPLE);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write(text.slice(0, 20));
      setTimeout(() => response.end(text.slice(20)), 200);
    }, 5000);
    expect(await auditing.get()).toStrictEqual(PAGE_EXAMPLE);
  });

  it('answers 500 with an HTML page: AuditingApiError 500, the HTML kept as the body, not in the message', async () => {
    const html = '<html><body><h1>Internal Server Error</h1></body></html>';
    const auditing = await against((_request, response) => {
      response.writeHead(500, { 'content-type': 'text/html' });
      response.end(html);
    });
    const error = (await auditing.get().catch((e: unknown) => e)) as AuditingApiError;
    expect(error).toBeInstanceOf(AuditingApiError);
    expect(error.status).toBe(500);
    expect(error.errorCode).toBeUndefined();
    expect(error.body).toBe(html);
    expect(error.message).toBe('GET /v1/cluster/auditing/db_conns failed with 500 Internal Server Error');
  });

  it.each([404, 406])('answers %i with an empty body: still AuditingApiError', async (status) => {
    const auditing = await against((_request, response) => {
      response.writeHead(status, { 'content-length': '0' });
      response.end();
    });
    const error = (await auditing.reset().catch((e: unknown) => e)) as AuditingApiError;
    expect(error).toBeInstanceOf(AuditingApiError);
    expect(error.status).toBe(status);
    expect(error.errorCode).toBeUndefined();
    expect(error.body).toBeUndefined();
    expect(error.hasDocumentedCode()).toBe(false);
  });

  it('answers 200 with broken JSON: AuditingApiError 200 with the text kept', async () => {
    const auditing = await against((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"audit_port": 12345,');
    });
    const error = (await auditing.get().catch((e: unknown) => e)) as AuditingApiError;
    expect(error).toBeInstanceOf(AuditingApiError);
    expect(error.status).toBe(200);
    expect(error.body).toBe('{"audit_port": 12345,');
    expect(error.message).toContain('not JSON');
  });

  it.each([
    ['no body', '', 'no body'],
    ['a JSON array', '[1]', 'a body that is not a JSON object'],
    ['a JSON string', '"ok"', 'a body that is not a JSON object'],
  ])('answers 200 with %s where the configuration belongs: AuditingApiError, never a silent success', async (_name, text, what) => {
    const auditing = await against((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(text);
    });
    const error = (await auditing.get().catch((e: unknown) => e)) as AuditingApiError;
    expect(error).toBeInstanceOf(AuditingApiError);
    expect(error.message).toBe(`GET /v1/cluster/auditing/db_conns answered 200 with ${what}`);
  });

  it('answers an error whose JSON body is a string: the string is the body, and no code is made up from it', async () => {
    const auditing = await against((_request, response) => json(response, 404, JSON.stringify({ error_code: 'db_conns_audit_config_not_found' })));
    const error = (await auditing.reset().catch((e: unknown) => e)) as AuditingApiError;
    expect(error).toBeInstanceOf(AuditingApiError);
    expect(error.body).toBe('{"error_code":"db_conns_audit_config_not_found"}');
    expect(error.errorCode).toBeUndefined();
  });

  it('names the explanation `description` instead of `message`: the client shows it', async () => {
    const auditing = await against((_request, response) =>
      json(response, 406, { error_code: 'db_conns_auditing_unsupported_by_capability', description: 'Not all nodes support it' }),
    );
    const error = (await auditing.get().catch((e: unknown) => e)) as AuditingApiError;
    expect(error.message).toBe('GET /v1/cluster/auditing/db_conns failed with 406 Not Acceptable: Not all nodes support it [db_conns_auditing_unsupported_by_capability]');
    expect(error.errorCode).toBe('db_conns_auditing_unsupported_by_capability');
    expect(error.hasDocumentedCode()).toBe(true);
  });

  it('sends an error code the spec does not know: kept as it is, not documented', async () => {
    const auditing = await against((_request, response) => json(response, 409, { error_code: 'some_future_code', message: 'Something new' }));
    const error = (await auditing.reset().catch((e: unknown) => e)) as AuditingApiError;
    expect(error).toBeInstanceOf(AuditingApiError);
    expect(error.errorCode).toBe('some_future_code');
    expect(error.hasDocumentedCode()).toBe(false);
    expect(error.body).toStrictEqual({ error_code: 'some_future_code', message: 'Something new' });
  });

  it('adds a field to the configuration: passed through, not rejected', async () => {
    const auditing = await against((_request, response) => json(response, 200, { ...PAGE_EXAMPLE, audit_future_field: 'x' }));
    expect(await auditing.get()).toStrictEqual({ ...PAGE_EXAMPLE, audit_future_field: 'x' });
  });

  it('sends a body with DELETE 200: reset() still resolves', async () => {
    const auditing = await against((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('OK');
    });
    await expect(auditing.reset()).resolves.toBeUndefined();
  });
});

describe('the requests the client sends', () => {
  it('carry Basic auth, Accept and, on PUT, a JSON body with its content type', async () => {
    const auditing = await against((request, response) => (request.method === 'DELETE' ? response.end() : json(response, 200, PAGE_EXAMPLE)));
    await auditing.get();
    await auditing.update({ audit_port: 12346 });
    await auditing.reset();
    const expected = `Basic ${Buffer.from('admin@example.com:fault-password').toString('base64')}`;
    expect(server!.requests.map((r) => [r.method, r.url])).toEqual([
      ['GET', '/v1/cluster/auditing/db_conns'],
      ['PUT', '/v1/cluster/auditing/db_conns'],
      ['DELETE', '/v1/cluster/auditing/db_conns'],
    ]);
    for (const request of server!.requests) {
      expect(request.headers.authorization).toBe(expected);
      expect(request.headers.accept).toBe('application/json');
    }
    expect(server!.requests[1]!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(server!.requests[1]!.body)).toStrictEqual({ audit_port: 12346 });
  });

  it('encode a non-ASCII password as UTF-8', async () => {
    server = await startServer((_request, response) => json(response, 200, PAGE_EXAMPLE));
    await createAuditingClient({ baseUrl: server.url, username: 'admin', password: 'pässwörd✓' }).get();
    expect(server.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('admin:pässwörd✓', 'utf8').toString('base64')}`);
  });

  it('stop when the caller aborts', async () => {
    const auditing = await against(() => {}, 10_000);
    const controller = new AbortController();
    const pending = auditing.get({ signal: controller.signal }).catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 50);
    const error = (await pending) as AuditingNetworkError;
    expect(error).toBeInstanceOf(AuditingNetworkError);
    expect(error.code).toBe('aborted');
  });

  it('1,000 concurrent get() calls all resolve with the configuration', async () => {
    const auditing = await against((_request, response) => json(response, 200, PAGE_EXAMPLE));
    const results = await Promise.all(Array.from({ length: 1000 }, () => auditing.get()));
    expect(results).toHaveLength(1000);
    for (const result of results) expect(result).toStrictEqual(PAGE_EXAMPLE);
    expect(server!.requests).toHaveLength(1000);
  });
});
