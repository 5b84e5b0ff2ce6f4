/**
 * The databases the mock keeps: `GET`/`PUT /v1/bdbs/{uid}` with the documented rules and their
 * error codes, the version's fields, and DELETE's refusal while a database audits.
 */
import { createMock } from 'redis-software-auditing-db-conns-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { PATH } from '../support/facts.ts';
import { MOCK_AUTH } from '../support/mock.ts';

const mock = createMock();
afterAll(() => mock.close());
beforeEach(() => mock.reset());
const BASE = 'https://cluster.example.com:9443';
const call = async (method: string, path: string, body?: unknown) => {
  const answer = await mock.fetch(`${BASE}${path}`, {
    method,
    headers: { authorization: MOCK_AUTH, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await answer.text();
  return { status: answer.status, body: text ? JSON.parse(text) : undefined };
};
const settings = (audit_settings: object) => call('PUT', '/v1/bdbs/1', { audit_settings });

describe('GET /v1/bdbs/{uid}', () => {
  it('answers database 1, auditing nothing, with the spec defaults', async () => {
    const answer = await call('GET', '/v1/bdbs/1');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      uid: 1,
      name: 'mock-db',
      db_conns_auditing: false,
      audit_settings: {
        audit_mode: 'disabled',
        username_filter: { enabled: false, usernames: [], filter_type: 'inclusive', allow_while_username_unknown: false },
        source_ip_filter: { enabled: false, ip_addresses: [], cidr_ranges: [], filter_type: 'inclusive' },
        max_total_key_bytes: 131072,
      },
    });
  });

  it('answers 404 for an unknown uid, on GET and PUT', async () => {
    expect((await call('GET', '/v1/bdbs/7')).status).toBe(404);
    expect((await call('PUT', '/v1/bdbs/7', { db_conns_auditing: true })).status).toBe(404);
  });

  it('leaves audit_settings out before 8.2', async () => {
    await mock.scenario({ redis_version: '7.4' });
    expect((await call('GET', '/v1/bdbs/1')).body).toEqual({ uid: 1, name: 'mock-db', db_conns_auditing: false });
  });
});

describe('PUT /v1/bdbs/{uid}', () => {
  it('merges a partial audit_settings into what is stored', async () => {
    expect((await settings({ audit_mode: 'connection' })).status).toBe(200);
    const answer = await settings({ audit_mode: 'connection_and_crud', username_filter: { enabled: true, usernames: ['app'] } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      db_conns_auditing: true,
      audit_settings: {
        audit_mode: 'connection_and_crud',
        username_filter: { enabled: true, usernames: ['app'], filter_type: 'inclusive' },
      },
    });
    const later = await settings({ username_filter: { filter_type: 'exclusive' } });
    expect(later.body.audit_settings.username_filter).toEqual({
      enabled: true,
      usernames: ['app'],
      filter_type: 'exclusive',
      allow_while_username_unknown: false,
    });
  });

  it('lets audit_mode win over db_conns_auditing', async () => {
    const answer = await call('PUT', '/v1/bdbs/1', { db_conns_auditing: true, audit_settings: { audit_mode: 'disabled' } });
    expect(answer.body).toMatchObject({ db_conns_auditing: false, audit_settings: { audit_mode: 'disabled' } });
    expect((await call('PUT', '/v1/bdbs/1', { db_conns_auditing: true })).body.audit_settings.audit_mode).toBe('connection');
  });

  it('refuses connection_and_crud without connection auditing active', async () => {
    const answer = await settings({ audit_mode: 'connection_and_crud' });
    expect(answer.status).toBe(400);
    expect(answer.body.error_code).toBe('invalid_schema');
    expect(answer.body.description).toContain('audit_settings.audit_mode');
  });

  it.each([
    [{ username_filter: { enabled: true } }, 'audit_settings_empty_filter_list', 'username_filter.usernames'],
    [{ source_ip_filter: { enabled: true } }, 'audit_settings_empty_filter_list', 'source_ip_filter'],
    [{ source_ip_filter: { ip_addresses: ['10.0.0.0/24'] } }, 'audit_settings_invalid_ip_address', 'ip_addresses[0]'],
    [{ source_ip_filter: { cidr_ranges: ['10.0.0.5'] } }, 'audit_settings_invalid_cidr_range', 'cidr_ranges[0]'],
    [{ source_ip_filter: { cidr_ranges: ['10.0.0.0/33'] } }, 'audit_settings_invalid_cidr_range', 'cidr_ranges[0]'],
    [
      {
        source_ip_filter: {
          ip_addresses: Array.from({ length: 300 }, (_, i) => `10.0.${i >> 8}.${i & 255}`),
          cidr_ranges: Array(213).fill('10.1.0.0/16'),
        },
      },
      'audit_settings_filter_list_too_large',
      'at most 512',
    ],
    [
      { username_filter: { usernames: Array.from({ length: 513 }, (_, i) => `user${i}`) } },
      'audit_settings_filter_list_too_large',
      'usernames',
    ],
    [{ username_filter: { usernames: ['a<b'] } }, 'invalid_schema', 'usernames'],
    [{ audit_mode: 'everything' }, 'invalid_schema', 'audit_mode'],
  ])('refuses %j with %s', async (body, code, named) => {
    const answer = await settings(body);
    expect(answer.status).toBe(400);
    expect(answer.body.error_code).toBe(code);
    expect(answer.body.description).toContain(named);
    // Nothing was stored.
    expect((await call('GET', '/v1/bdbs/1')).body.audit_settings.audit_mode).toBe('disabled');
  });

  it('accepts IPv6 addresses and ranges', async () => {
    const answer = await settings({ source_ip_filter: { enabled: true, ip_addresses: ['::1'], cidr_ranges: ['fd00::/8'] } });
    expect(answer.status).toBe(200);
  });

  it('refuses audit_settings before 8.2 as a field newer than the version', async () => {
    await mock.scenario({ redis_version: '8.0.2' });
    const answer = await settings({ audit_mode: 'connection' });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error_code: 'invalid_schema' });
    expect(answer.body.description).toContain('audit_settings is not a field of Redis Software 8.0.2');
  });

  it('refuses the switch without a stored configuration: audit_settings_config_missing from 8.2', async () => {
    expect((await call('DELETE', PATH)).status).toBe(200);
    const answer = await settings({ audit_mode: 'connection' });
    expect(answer.status).toBe(400);
    expect(answer.body.error_code).toBe('audit_settings_config_missing');
    expect((await call('PUT', '/v1/bdbs/1', { db_conns_auditing: true })).body.error_code).toBe('audit_settings_config_missing');
    // Turning it off needs no configuration.
    expect((await settings({ audit_mode: 'disabled' })).status).toBe(200);
  });

  it('refuses the switch without a stored configuration: db_conns_auditing_config_missing before 8.2', async () => {
    await mock.scenario({ redis_version: '7.4' });
    expect((await call('DELETE', PATH)).status).toBe(200);
    const answer = await call('PUT', '/v1/bdbs/1', { db_conns_auditing: true });
    expect(answer.status).toBe(400);
    expect(answer.body.error_code).toBe('db_conns_auditing_config_missing');
  });
});

describe('DELETE follows the databases', () => {
  it('is refused while a database audits, and the scenario flag reflects database 1', async () => {
    expect((await call('PUT', '/v1/bdbs/1', { db_conns_auditing: true })).status).toBe(200);
    expect(await mock.scenario()).toMatchObject({ database_auditing: true });
    const refused = await call('DELETE', PATH);
    expect(refused.status).toBe(409);
    expect(refused.body.error_code).toBe('cannot_delete_audit_config_when_bdb_enabled');

    await mock.scenario({ database_auditing: false }); // the shortcut switches database 1
    expect((await call('GET', '/v1/bdbs/1')).body.db_conns_auditing).toBe(false);
    expect((await call('DELETE', PATH)).status).toBe(200);
  });

  it('the policy refusal comes first, each with its own code', async () => {
    await call('PUT', '/v1/cluster/policy', { db_conns_auditing: true });
    await call('PUT', '/v1/bdbs/1', { db_conns_auditing: true });
    expect((await call('DELETE', PATH)).body.error_code).toBe('cannot_delete_audit_config_when_policy_enabled');
    await call('PUT', '/v1/cluster/policy', { db_conns_auditing: false });
    expect((await call('DELETE', PATH)).body.error_code).toBe('cannot_delete_audit_config_when_bdb_enabled');
  });
});

describe('the records follow the databases', () => {
  const kinds = async (request: object) => {
    const answer = await mock.auditConnections(request);
    return answer;
  };

  it('a database that audits nothing makes no record, and the answer says why', async () => {
    const answer = await kinds({ commands: 2 });
    expect(answer).toMatchObject({ records: 0, skipped: expect.stringContaining('database 1 (mock-db) audits nothing') });
  });

  it('connection makes connection and auth records, no command records', async () => {
    await settings({ audit_mode: 'connection' });
    expect(await kinds({ commands: 2 })).toMatchObject({ records: 3 });
    expect((await kinds({ commands: 2 })).skipped).toBeUndefined();
  });

  it('connection_and_crud adds command records, filtered by user name and source address', async () => {
    await settings({ audit_mode: 'connection' });
    await settings({ audit_mode: 'connection_and_crud' });
    expect((await kinds({ commands: 2 })).records).toBe(5);
    await settings({ username_filter: { enabled: true, usernames: ['app'] } });
    expect((await kinds({ commands: 2, username: 'app' })).records).toBe(5);
    expect((await kinds({ commands: 2, username: 'other' })).records).toBe(3);
    await settings({ username_filter: { filter_type: 'exclusive' } });
    expect((await kinds({ commands: 2, username: 'app' })).records).toBe(3);
    expect((await kinds({ commands: 2, username: 'other' })).records).toBe(5);
    await settings({ username_filter: { enabled: false }, source_ip_filter: { enabled: true, cidr_ranges: ['10.0.0.0/8'] } });
    expect((await kinds({ commands: 1, source_ip: '10.1.2.3' })).records).toBe(4);
    expect((await kinds({ commands: 1, source_ip: '192.0.2.1' })).records).toBe(3);
    await settings({ source_ip_filter: { filter_type: 'exclusive' } });
    expect((await kinds({ commands: 1, source_ip: '10.1.2.3' })).records).toBe(3);
  });

  it('names the database it connects to; an unknown one is refused naming the field', async () => {
    const added = await mock.fetch('http://mock/__mock/databases', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ uid: 2, name: 'reports-db' }),
    });
    expect(added.status).toBe(200);
    expect((await call('GET', '/v1/bdbs/2')).body).toMatchObject({ uid: 2, name: 'reports-db', db_conns_auditing: false });
    await call('PUT', '/v1/bdbs/2', { db_conns_auditing: true });
    expect((await kinds({ database: 2 })).records).toBe(3);
    expect((await kinds({ database: 1 })).records).toBe(0);
    await expect(kinds({ database: 9 })).rejects.toThrow(/database 9 is not a database of the mock/);
  });

  it('before 8.2, db_conns_auditing true makes connection records', async () => {
    await mock.scenario({ redis_version: '7.4' });
    expect((await kinds({})).records).toBe(0);
    await call('PUT', '/v1/bdbs/1', { db_conns_auditing: true });
    expect((await kinds({ commands: 2 })).records).toBe(3);
  });
});
