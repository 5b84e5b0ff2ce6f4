/**
 * The client against real loopback servers that misbehave, one server per case. Each case
 * names what the server does and what the client must do about it.
 */
import { getEventListeners, once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createContext, runInContext } from 'node:vm';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import * as client from '../../src/index.ts';
import { AuditingApiError, AuditingError, AuditingNetworkError, AuditingValidationError, createAuditingClient } from '../../src/index.ts';
import { PATH } from '../support/facts.ts';
import { json, PAGE_EXAMPLE, startServer, type Handler, type TestServer } from '../support/servers.ts';

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
    const auditing = await against((request) => {
      socket = request.socket;
    }, 300);
    const started = Date.now();
    const error = await auditing.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditingNetworkError);
    expect((error as AuditingNetworkError).code).toBe('timeout');
    expect((error as Error).message).toBe(`GET ${PATH} timed out after 300 ms`);
    expect(Date.now() - started).toBeLessThan(5000); // a bound against hanging, not a timing claim
    // The connection that carried the request is closed, not left hanging for the server.
    await expect.poll(() => socket?.closed, { timeout: 1000 }).toBe(true);
  });

  it('never answers, with a timeout that is not whole milliseconds: it still fires, as given', async () => {
    const auditing = await against(() => {}, 250.5);
    const error = (await auditing.get().catch((e: unknown) => e)) as AuditingNetworkError;
    expect(error).toBeInstanceOf(AuditingNetworkError);
    expect(error.code).toBe('timeout');
    expect(error.message).toBe(`GET ${PATH} timed out after 250.5 ms`);
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
    expect(error.message).toBe(`GET ${PATH} failed with 500 Internal Server Error`);
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
    expect(error.message).toBe(`GET ${PATH} answered 200 with ${what}`);
  });

  it('answers an error whose JSON body is a string: the string is the body, and no code is made up from it', async () => {
    const auditing = await against((_request, response) =>
      json(response, 404, JSON.stringify({ error_code: 'db_conns_audit_config_not_found' })),
    );
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
    expect(error.message).toBe(
      `GET ${PATH} failed with 406 Not Acceptable: Not all nodes support it [db_conns_auditing_unsupported_by_capability]`,
    );
    expect(error.errorCode).toBe('db_conns_auditing_unsupported_by_capability');
    expect(error.hasDocumentedCode()).toBe(true);
  });

  it('sends an error code the spec does not know: kept as it is, not documented', async () => {
    const auditing = await against((_request, response) =>
      json(response, 409, { error_code: 'some_future_code', message: 'Something new' }),
    );
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
    const auditing = await against((request, response) =>
      request.method === 'DELETE' ? response.end() : json(response, 200, PAGE_EXAMPLE),
    );
    await auditing.get();
    await auditing.update({ audit_port: 12346 });
    await auditing.reset();
    const expected = `Basic ${Buffer.from('admin@example.com:fault-password').toString('base64')}`;
    expect(server!.requests.map((r) => [r.method, r.url])).toEqual([
      ['GET', PATH],
      ['PUT', PATH],
      ['DELETE', PATH],
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

  it('keep the response headers and reason phrase on an API error', async () => {
    const auditing = await against((_request, response) => {
      response.writeHead(503, 'Busy Rebalancing', { 'content-type': 'application/json', 'retry-after': '7', 'x-request-id': 'req-42' });
      response.end(JSON.stringify({ message: 'try later' }));
    });
    const error = (await auditing.get().catch((e: unknown) => e)) as AuditingApiError;
    expect(error).toBeInstanceOf(AuditingApiError);
    expect(error.statusText).toBe('Busy Rebalancing');
    expect(error.headers).toBeInstanceOf(Headers);
    expect(error.headers.get('retry-after')).toBe('7');
    expect(error.headers.get('x-request-id')).toBe('req-42');
    expect(error.message).toBe(`GET ${PATH} failed with 503 Busy Rebalancing: try later`);
  });
});

describe("the timeout and the caller's signal", () => {
  it('stop when the caller aborts', async () => {
    const auditing = await against(() => {}, 10_000);
    const controller = new AbortController();
    const pending = auditing.get({ signal: controller.signal }).catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 50);
    const error = (await pending) as AuditingNetworkError;
    expect(error).toBeInstanceOf(AuditingNetworkError);
    expect(error.code).toBe('aborted');
  });

  it('a signal aborted before the call: aborted, nothing sent', async () => {
    const auditing = await against((_request, response) => json(response, 200, PAGE_EXAMPLE));
    const error = (await auditing.get({ signal: AbortSignal.abort() }).catch((e: unknown) => e)) as AuditingNetworkError;
    expect(error).toBeInstanceOf(AuditingNetworkError);
    expect(error.code).toBe('aborted');
    expect(error.message).toBe(`GET ${PATH} was aborted`);
    expect(server!.requests).toHaveLength(0);
  });

  it("a caller's signal that never aborts: the timeout still fires", async () => {
    const auditing = await against(() => {}, 300);
    const error = (await auditing.reset({ signal: new AbortController().signal }).catch((e: unknown) => e)) as AuditingNetworkError;
    expect(error).toBeInstanceOf(AuditingNetworkError);
    expect(error.code).toBe('timeout');
    expect(error.message).toBe(`DELETE ${PATH} timed out after 300 ms`);
  });

  it('100 concurrent calls sharing one signal all stop when it aborts, each as aborted', async () => {
    const auditing = await against(() => {}, 10_000);
    const controller = new AbortController();
    const pending = Array.from({ length: 100 }, () => auditing.get({ signal: controller.signal }).catch((e: unknown) => e));
    await expect.poll(() => server!.requests.length, { timeout: 10_000 }).toBe(100);
    controller.abort();
    const errors = (await Promise.all(pending)) as AuditingNetworkError[];
    expect(errors.map((error) => [error.constructor, error.code])).toEqual(errors.map(() => [AuditingNetworkError, 'aborted']));
  });

  it("leave nothing pending once over: no timer holding the process, no listener on the caller's signal", async () => {
    const auditing = await against(
      (request, response) => (request.method === 'DELETE' ? json(response, 404, {}) : json(response, 200, PAGE_EXAMPLE)),
      60_000,
    );
    const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
    const controller = new AbortController();
    const before = timers();
    await auditing.get({ signal: controller.signal });
    await auditing.get();
    await auditing.reset({ signal: controller.signal }).catch(() => {});
    await auditing.update({ audit_port: 12345 }, { signal: controller.signal });
    // A 60-second timer per call would show here; the platform's timeout timer does not hold the process.
    expect(timers()).toBeLessThanOrEqual(before);
    expect(getEventListeners(controller.signal, 'abort')).toEqual([]);
  });

  it('1,000 concurrent get() calls all resolve with the configuration', async () => {
    const auditing = await against((_request, response) => json(response, 200, PAGE_EXAMPLE));
    const results = await Promise.all(Array.from({ length: 1000 }, () => auditing.get()));
    expect(results).toHaveLength(1000);
    for (const result of results) expect(result).toStrictEqual(PAGE_EXAMPLE);
    expect(server!.requests).toHaveLength(1000);
  });
});

describe('the errors', () => {
  it('are all AuditingError, each told apart by its class and by its own guard', async () => {
    const auditing = await against((_request, response) => json(response, 404, { error_code: 'db_conns_audit_config_not_found' }));
    const refused = createAuditingClient({ baseUrl: 'http://127.0.0.1:1', username: 'u', password: 'p' });
    const errors = [
      await auditing.reset().catch((e: unknown) => e),
      await refused.get().catch((e: unknown) => e),
      await auditing.update({ audit_port: 0 }).catch((e: unknown) => e),
    ];
    expect(errors.map((error) => (error as Error).constructor)).toEqual([AuditingApiError, AuditingNetworkError, AuditingValidationError]);
    for (const error of errors) {
      expect(error).toBeInstanceOf(AuditingError);
      expect(client.isAuditingError(error)).toBe(true);
    }
    const guards = [client.isAuditingApiError, client.isAuditingNetworkError, client.isAuditingValidationError];
    expect(errors.map((error) => guards.map((guard) => guard(error)))).toEqual([
      [true, false, false],
      [false, true, false],
      [false, false, true],
    ]);
    expect(client.isAuditingApiError(errors[0], 'deleteDbConnsAuditingConfig')).toBe(true);
    expect(client.isAuditingApiError(errors[0], 'getDbConnsAuditingConfig')).toBe(false);
  });

  it('are known to the guards when another copy of the package threw them, where instanceof says no', async () => {
    // A second copy of the client, bundled apart as a second install of the package would be.
    const dir = mkdtempSync(join(tmpdir(), 'client-copy-'));
    try {
      const outfile = join(dir, 'client.mjs');
      await build({
        entryPoints: [new URL('../../src/index.ts', import.meta.url).pathname],
        bundle: true,
        format: 'esm',
        platform: 'neutral',
        outfile,
        logLevel: 'silent',
      });
      const copy = (await import(pathToFileURL(outfile).href)) as typeof client;
      expect(copy.AuditingError).not.toBe(AuditingError);
      const auditing = await against((_request, response) =>
        json(response, 406, { error_code: 'db_conns_auditing_unsupported_by_capability' }),
      );
      const fromCopy = copy.createAuditingClient({ baseUrl: server!.url, username: 'u', password: 'p' });
      const apiError = await fromCopy.get().catch((e: unknown) => e);
      const validationError = await fromCopy.update({ audit_port: 0 }).catch((e: unknown) => e);
      expect(apiError).not.toBeInstanceOf(AuditingError);
      expect(client.isAuditingError(apiError)).toBe(true);
      expect(client.isAuditingApiError(apiError, 'getDbConnsAuditingConfig')).toBe(true);
      expect(client.isAuditingValidationError(validationError)).toBe(true);
      expect(client.isAuditingNetworkError(validationError)).toBe(false);
      // And the other way round: the copy knows this copy's errors.
      expect(copy.isAuditingApiError(await auditing.get().catch((e: unknown) => e))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are known to the guards when thrown in another realm, where instanceof says no', async () => {
    // The client run in a fresh V8 context, with its own Error, Promise and classes.
    const { outputFiles } = await build({
      entryPoints: [new URL('../../src/index.ts', import.meta.url).pathname],
      bundle: true,
      format: 'iife',
      globalName: 'auditingClient',
      platform: 'neutral',
      write: false,
      logLevel: 'silent',
    });
    const realm = createContext({ Headers, URL, TextEncoder, btoa, AbortSignal, fetch, Request, Response });
    runInContext(outputFiles[0]!.text, realm);
    const other = runInContext('auditingClient', realm) as typeof client;
    const optionsError = (() => {
      try {
        other.createAuditingClient({ baseUrl: 'not a url', username: 'u', password: 'p' });
      } catch (e) {
        return e;
      }
    })();
    const updateError = await other
      .createAuditingClient({ baseUrl: 'http://127.0.0.1:1', username: 'u', password: 'p' })
      .update({ audit_port: 0 })
      .catch((e: unknown) => e);
    for (const error of [optionsError, updateError]) {
      expect(error).not.toBeInstanceOf(Error);
      expect(client.isAuditingError(error)).toBe(true);
      expect(client.isAuditingValidationError(error)).toBe(true);
      expect(client.isAuditingApiError(error)).toBe(false);
    }
  });

  it('are not faked by a look-alike: an Error named like them, or values that are not errors', () => {
    const lookAlike = Object.assign(new Error('x'), { name: 'AuditingApiError', operation: 'getDbConnsAuditingConfig' });
    for (const value of [lookAlike, null, undefined, 'AuditingApiError', 42, {}]) {
      expect(
        [client.isAuditingError, client.isAuditingApiError, client.isAuditingNetworkError, client.isAuditingValidationError].map((guard) =>
          guard(value),
        ),
      ).toEqual([false, false, false, false]);
    }
  });
});
