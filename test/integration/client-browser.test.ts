/**
 * The client runs in a browser: bundled for the browser platform (a Node-only import would
 * fail the bundle), loaded into a real headless Chromium, and calling a real loopback server
 * with the browser's own fetch.
 */
import { basicAuth } from '../../src/index.ts';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumLaunchOptions } from '../support/chromium.ts';
import { root } from '../../tools/project.ts';
import { PAGE_RESPONSE_EXAMPLE as PAGE_EXAMPLE, PATH, operationFacts } from '../support/facts.ts';
import { json, startServer, type TestServer } from '../support/servers.ts';

/** What the server answers to DELETE: the first error the spec documents for it, with its example. */
const refusal = operationFacts('delete').errors.find((error) => error.examples.length > 0)!;

/** What the page does with the client; its results land on `window.results`. */
const PAGE_SCRIPT = `
import { createAuditingClient, AuditingApiError, AuditingValidationError } from '/client.js';
const auditing = createAuditingClient({ baseUrl: location.origin, username: 'admin@example.com', password: 'browser-password' });
const settle = (promise) => promise.then((value) => ({ value }), (error) => ({ error: error.name, status: error.status, errorCode: error.errorCode, problems: error.problems, apiError: error instanceof AuditingApiError, validationError: error instanceof AuditingValidationError }));
window.results = {
  get: await settle(auditing.get()),
  update: await settle(auditing.update({ audit_port: 12346 })),
  invalid: await settle(auditing.update({ audit_port: 'x' })),
  reset: await settle(auditing.reset()),
};`;

let server: TestServer;
let browser: Browser | undefined;
let bundle: string;

beforeAll(async () => {
  const result = await build({
    entryPoints: [`${root}src/index.ts`],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  bundle = result.outputFiles[0]!.text;
  server = await startServer((request, response, body) => {
    if (request.url === '/') {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(`<!doctype html><title>client</title><script type="module">${PAGE_SCRIPT}</script>`);
    } else if (request.url === '/client.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' });
      response.end(bundle);
    } else if (request.url === PATH && request.method === 'GET') json(response, 200, PAGE_EXAMPLE);
    else if (request.url === PATH && request.method === 'PUT') json(response, 200, { ...PAGE_EXAMPLE, ...JSON.parse(body) });
    else if (request.url === PATH && request.method === 'DELETE') json(response, Number(refusal.status), refusal.examples[0]!.value);
    else json(response, 404, {});
  });
  browser = await chromium.launch(chromiumLaunchOptions);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the client in headless Chromium', () => {
  it('bundles for the browser with no Node-only import', () => {
    expect(bundle).not.toMatch(/from\s*["']node:/);
    // The bundle is the client itself: the module exports what the page imports.
    for (const name of ['createAuditingClient', 'AuditingApiError', 'AuditingValidationError'])
      expect(bundle).toMatch(new RegExp(`export\\s*\\{[^}]*\\b${name}\\b`));
  });

  it('gets, updates, validates and fails with its own classes, using the browser fetch', async () => {
    const page = await browser!.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(server.url);
    const results = await page
      .waitForFunction(() => (window as unknown as { results?: unknown }).results, undefined, { timeout: 20_000 })
      .then((handle) => handle.jsonValue());
    expect(errors).toEqual([]);
    expect(results).toEqual({
      get: { value: PAGE_EXAMPLE },
      update: { value: { ...PAGE_EXAMPLE, audit_port: 12346 } },
      invalid: {
        error: 'AuditingValidationError',
        problems: [{ field: 'audit_port', rule: 'type', message: 'must be an integer' }],
        apiError: false,
        validationError: true,
      },
      reset: {
        error: 'AuditingApiError',
        status: Number(refusal.status),
        errorCode: refusal.examples[0]!.value.error_code,
        apiError: true,
        validationError: false,
      },
    });
    // Three calls reached the API (the invalid update never left the page), each with Basic auth.
    const apiCalls = server.requests.filter((request) => request.url === PATH);
    expect(apiCalls.map((request) => request.method)).toEqual(['GET', 'PUT', 'DELETE']);
    for (const call of apiCalls) expect(call.headers.authorization).toBe(basicAuth('admin@example.com', 'browser-password'));
  });
});
