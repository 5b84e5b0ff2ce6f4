/**
 * The switches the mock keeps: the cluster policy's `db_conns_auditing` is one state with the
 * scenario's `cluster_policy` shortcut, and DELETE's refusal follows it.
 */
import { createMock } from 'redis-software-auditing-db-conns-mock';
import { afterAll, describe, expect, it } from 'vitest';
import { PATH } from '../support/facts.ts';
import { MOCK_AUTH } from '../support/mock.ts';

const mock = createMock();
afterAll(() => mock.close());
const BASE = 'https://cluster.example.com:9443';
const call = (method: string, path: string, body?: unknown) =>
  mock.fetch(`${BASE}${path}`, {
    method,
    headers: { authorization: MOCK_AUTH, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe('the cluster policy', () => {
  it('keeps db_conns_auditing, and DELETE is refused while it is on', async () => {
    expect(await (await call('GET', '/v1/cluster/policy')).json()).toEqual({ db_conns_auditing: false });
    expect((await call('PUT', '/v1/cluster/policy', { db_conns_auditing: true })).status).toBe(200);
    expect(await (await call('GET', '/v1/cluster/policy')).json()).toEqual({ db_conns_auditing: true });
    expect(await mock.scenario()).toMatchObject({ cluster_policy: true });

    const refused = await call('DELETE', PATH);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error_code: 'cannot_delete_audit_config_when_policy_enabled' });

    await mock.scenario({ cluster_policy: false }); // the shortcut onto the same state
    expect(await (await call('GET', '/v1/cluster/policy')).json()).toEqual({ db_conns_auditing: false });
    expect((await call('DELETE', PATH)).status).toBe(200);
  });

  it('refuses a policy whose field has the wrong type, naming the field', async () => {
    const answer = await call('PUT', '/v1/cluster/policy', { db_conns_auditing: 'yes' });
    expect(answer.status).toBe(400);
    const body = await answer.json();
    expect(body.error_code).toBe('invalid_schema');
    expect(body.description).toContain('db_conns_auditing');
  });

  it('tolerates the policy fields it does not describe', async () => {
    expect((await call('PUT', '/v1/cluster/policy', { default_non_sharded_proxy_policy: 'single' })).status).toBe(200);
  });
});
