/**
 * One core, three doors: `createMock()` answers web-standard requests with no port
 * (`mock.handle`, `mock.fetch`), `startMock()` serves the same core on node:http, and MSW's
 * `setupServer` takes its handlers (`redis-software-auditing-db-conns-mock/msw`). Each door shows
 * the same state, the same refusals and the same faults, and only the server opens a port.
 */
import { setupServer } from 'msw/node';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditingApiError, createAuditingClient } from '../../src/index.ts';
import { MockAdminError, createMock, startMock } from 'redis-software-auditing-db-conns-mock';
import { auditingHandlers } from 'redis-software-auditing-db-conns-mock/msw';
import { MOCK_AUTH, MOCK_USER } from '../support/mock.ts';
import { PAGE_EXAMPLE } from '../support/servers.ts';
import { PATH } from '../support/facts.ts';

const CLUSTER = 'https://cluster.example.com:9443';
/** How many servers this process listens with: a door with no port must not add one. */
const listeningServers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'TCPServerWrap').length;

describe('createMock(): no transport', () => {
  it("answers the contract's client through mock.fetch as a cluster does, with no port open", async () => {
    const before = listeningServers();
    const mock = createMock();
    const auditing = createAuditingClient({ baseUrl: CLUSTER, ...MOCK_USER, fetch: mock.fetch });
    expect(await auditing.get()).toStrictEqual(PAGE_EXAMPLE);
    expect(await auditing.update({ audit_port: 23456 })).toStrictEqual({ ...PAGE_EXAMPLE, audit_port: 23456 });
    expect(await auditing.get()).toStrictEqual({ ...PAGE_EXAMPLE, audit_port: 23456 });
    await auditing.reset();
    const again = await auditing.reset().catch((error: unknown) => error);
    expect(again).toBeInstanceOf(AuditingApiError);
    expect((again as AuditingApiError).status).toBe(404);
    expect(listeningServers()).toBe(before);
    expect((await mock.requests()).map((exchange) => `${exchange.method} ${exchange.status}`)).toEqual([
      'GET 200',
      'PUT 200',
      'GET 200',
      'DELETE 200',
      'DELETE 404',
    ]);
    mock.close();
  });

  it('mock.handle takes a Request and gives a Response; a reset connection is Response.error(), and mock.fetch rejects as fetch does', async () => {
    const mock = createMock();
    const answer = await mock.handle(new Request(`${CLUSTER}${PATH}`, { headers: { authorization: MOCK_AUTH } }));
    expect(answer).toBeInstanceOf(Response);
    expect(await answer.json()).toStrictEqual(PAGE_EXAMPLE);

    await mock.faults({ reset_connection: { count: 1 } });
    expect((await mock.handle(new Request(`${CLUSTER}${PATH}`))).type).toBe('error');
    await mock.faults({ reset_connection: { count: 1 } });
    await expect(mock.fetch(`${CLUSTER}${PATH}`)).rejects.toThrow(TypeError);
    expect((await mock.fetch(`${CLUSTER}${PATH}`, { headers: { authorization: MOCK_AUTH } })).status).toBe(200);
    mock.close();
  });

  it("mock.fetch honours the caller's signal, as fetch does: the client's timeout ends a call the mock holds", async () => {
    const mock = createMock();
    await mock.faults({ latency_ms: 2000 });
    const hurried = createAuditingClient({ baseUrl: CLUSTER, ...MOCK_USER, fetch: mock.fetch, timeoutMs: 50 });
    const started = performance.now();
    await expect(hurried.get()).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(1500);
    await expect(mock.fetch(`${CLUSTER}${PATH}`, { signal: AbortSignal.abort() })).rejects.toThrow();
    mock.close();
  });

  it("the handle steers in process, through the admin API's own checks: the same refusal, in the same words, as over HTTP", async () => {
    const mock = createMock();
    const inProcess = await mock.scenario({ cluster_policy: 'yes' } as never).catch((error: unknown) => error);
    expect(inProcess).toBeInstanceOf(MockAdminError);
    const overHttp = await mock.fetch('http://mock/__mock/scenario', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ cluster_policy: 'yes' }),
    });
    expect(overHttp.status).toBe(400);
    expect((inProcess as MockAdminError).status).toBe(400);
    expect((inProcess as MockAdminError).body).toStrictEqual(await overHttp.json());
    expect((inProcess as MockAdminError).message).toContain('cluster_policy');

    // What the handle answers is a copy: changing it changes nothing in the mock.
    const scenario = await mock.scenario();
    scenario.cluster_policy = true;
    expect((await mock.scenario()).cluster_policy).toBe(false);
    mock.close();
  });
});

describe('startMock(): the same core behind a port', () => {
  it('its handle has .fetch, which reaches the same state as HTTP does', async () => {
    const mock = await startMock();
    try {
      const auditing = createAuditingClient({ baseUrl: CLUSTER, ...MOCK_USER, fetch: mock.fetch });
      await auditing.update({ audit_port: 34567 });
      const overHttp = await fetch(`${mock.url}${PATH}`, { headers: { authorization: MOCK_AUTH } });
      expect((await overHttp.json()).audit_port).toBe(34567);
      expect((await mock.requests()).length).toBe(2);
    } finally {
      await mock.stop();
    }
  });
});

describe('MSW handlers: auditingHandlers(mock, baseUrl)', () => {
  const mock = createMock();
  const server = setupServer(...auditingHandlers(mock, CLUSTER));
  afterEach(async () => {
    server.close();
    await mock.reset();
  });

  it("code under test that calls plain fetch on the cluster gets the mock's stateful answers, and the handle sees the same state", async () => {
    server.listen({ onUnhandledRequest: 'error' });
    const before = listeningServers();
    const put = await fetch(`${CLUSTER}${PATH}`, {
      method: 'PUT',
      headers: { authorization: MOCK_AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ audit_port: 45678 }),
    });
    expect(put.status).toBe(200);
    const read = await fetch(`${CLUSTER}${PATH}`, { headers: { authorization: MOCK_AUTH } });
    expect((await read.json()).audit_port).toBe(45678);
    expect((await mock.requests()).map((exchange) => exchange.method)).toEqual(['PUT', 'GET']);

    // Steered from the test, seen by the code under test.
    await mock.scenario({ cluster_policy: true });
    const refused = await fetch(`${CLUSTER}${PATH}`, { method: 'DELETE', headers: { authorization: MOCK_AUTH } });
    expect(refused.status).toBe(409);
    expect((await refused.json()).error_code).toBe('cannot_delete_audit_config_when_policy_enabled');
    expect(listeningServers()).toBe(before);
  });

  it("a reset_connection fault reaches fetch as a network error, and the contract's client as its own", async () => {
    server.listen({ onUnhandledRequest: 'error' });
    await mock.faults({ reset_connection: { count: 1 } });
    await expect(fetch(`${CLUSTER}${PATH}`, { headers: { authorization: MOCK_AUTH } })).rejects.toThrow(TypeError);
    const auditing = createAuditingClient({ baseUrl: CLUSTER, ...MOCK_USER });
    expect(await auditing.get()).toStrictEqual(PAGE_EXAMPLE);
  });

  it("leaves other origins alone: a request elsewhere is not the mock's", async () => {
    server.listen({ onUnhandledRequest: 'error' });
    await expect(fetch(`https://elsewhere.example.com${PATH}`)).rejects.toThrow();
    expect(await mock.requests()).toEqual([]);
  });
});
