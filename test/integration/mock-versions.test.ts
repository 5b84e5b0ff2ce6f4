/**
 * The mock plays a Redis Software version: what it knows of versions is the contract's
 * x-introduced-in / x-removed-in annotations (read here from generated/ on their own, to compare),
 * and it answers as a cluster of the version it plays: newer fields refused with invalid_schema,
 * Basic that cannot be turned off before 8.2, the records of the version, no path before 6.2.18.
 * The records of each version's docs page (the AsyncAPI examples) are read by the parser.
 */
import { once } from 'node:events';
import { type Server, createServer } from 'node:net';
import semver from 'semver';
import {
  KNOWN_VERSIONS,
  MockAdminError,
  NEWEST_VERSION,
  VersionError,
  createMock,
  type ConnectionsRequest,
  type Mock,
} from 'redis-software-auditing-db-conns-mock';
import { afterAll, describe, expect, it } from 'vitest';
import { recordAsOf } from '../../packages/mock/src/versions.ts';
import { type AuditRecord, isAuditRecord, parseAuditRecords } from '../../src/records.ts';
import { type Json, PATH, bundled } from '../support/facts.ts';
import { MOCK_AUTH, MOCK_BIN, auditDatabase, eventually } from '../support/mock.ts';
import { EXAMPLES, asyncapi } from '../support/records.ts';
import { node } from '../support/run.ts';

const CLUSTER = 'https://cluster.example.com:9443';

/** Every value of an x-introduced-in, x-deprecated-in or x-removed-in in a document, walked here on its own. */
function annotations(document: unknown, found = new Set<string>()): Set<string> {
  if (document !== null && typeof document === 'object')
    for (const [key, value] of Object.entries(document)) {
      if (/^x-(introduced|deprecated|removed)-in$/.test(key)) found.add(value as string);
      else annotations(value, found);
    }
  return found;
}
const versionOf = (text: string) => semver.coerce(text)!;

const mocks: Mock[] = [];
const mockOf = (redisVersion?: string) => {
  const mock = createMock(redisVersion === undefined ? {} : { redisVersion });
  mocks.push(mock);
  return mock;
};
afterAll(() => {
  for (const mock of mocks) mock.close();
});

const send = async (mock: Mock, method: string, body?: unknown) => {
  const response = await mock.fetch(`${CLUSTER}${PATH}`, {
    method,
    headers: { authorization: MOCK_AUTH, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
};

describe('the versions the mock knows', () => {
  it('are the versions the annotations of the spec and the AsyncAPI document name, oldest first', () => {
    const named = [...annotations(asyncapi), ...annotations(bundled)];
    const expected = [...new Set(named)].sort((a, b) => semver.compare(versionOf(a), versionOf(b)));
    expect(KNOWN_VERSIONS).toEqual(expected);
    expect(KNOWN_VERSIONS).toEqual(['6.2.18', '8.0.2', '8.2']);
    expect(NEWEST_VERSION).toBe(expected.at(-1));
  });

  it('plays the newest documented by default, and GET /__mock/scenario says so', async () => {
    expect((await mockOf().scenario()).redis_version).toBe(NEWEST_VERSION);
    expect((await mockOf('7.4').scenario()).redis_version).toBe('7.4');
  });

  it.for([
    ['banana', 'must be a Redis Software version'],
    ['8', 'must be a Redis Software version'],
    ['8.3', 'must be no newer than 8.2'],
    ['9.0.1', 'must be no newer than 8.2'],
  ])('refuses %s from the library, naming the rule and the versions it knows', ([version, rule]) => {
    expect(() => createMock({ redisVersion: version })).toThrow(VersionError);
    expect(() => createMock({ redisVersion: version })).toThrow(rule!);
    expect(() => createMock({ redisVersion: version })).toThrow(`redisVersion ${rule}`);
    expect(() => createMock({ redisVersion: version })).toThrow('6.2.18, 8.0.2, 8.2');
  });

  it('takes a build number and any patch of the newest line', () => {
    for (const version of ['8.2.0-46', '8.2.1', '6.2.18', '5.6']) expect(() => mockOf(version)).not.toThrow();
  });

  it('refuses a version it cannot place in the scenario with a MockAdminError, and keeps the one it plays', async () => {
    const mock = mockOf('8.0');
    const refused = await mock.scenario({ redis_version: '8.10' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(MockAdminError);
    expect((refused as MockAdminError).message).toContain('redis_version must be no newer than 8.2');
    expect((refused as MockAdminError).message).toContain('6.2.18, 8.0.2, 8.2');
    expect((await mock.scenario()).redis_version).toBe('8.0');
  });

  it('refuses an unknown version with exit status 2 and one line from the bin', () => {
    const ran = node([MOCK_BIN, '--redis-version', '8.3'], { timeoutMs: 30_000 });
    expect(ran.status).toBe(2);
    expect(ran.output.trim().split('\n')).toHaveLength(1);
    expect(ran.output).toContain('redis-auditing-mock: --redis-version must be no newer than 8.2');
    expect(ran.output).toContain('6.2.18, 8.0.2, 8.2');
  });
});

describe('the REST side of a version', () => {
  it('refuses audit_queue_max_bytes before 8.2 with invalid_schema naming the field and its version, and takes it from 8.2', async () => {
    const old = await send(mockOf('8.0'), 'PUT', { audit_queue_max_bytes: 1000 });
    expect(old.status).toBe(400);
    expect(old.body).toEqual({
      error_code: 'invalid_schema',
      description: 'audit_queue_max_bytes is not a field of Redis Software 8.0: it appeared in 8.2',
    });
    const current = await send(mockOf(), 'PUT', { audit_queue_max_bytes: 1000 });
    expect(current.status).toBe(200);
    expect(current.body.audit_queue_max_bytes).toBe(1000);
  });

  it('leaves out of its answers a field the version it now plays does not have', async () => {
    const mock = mockOf();
    await send(mock, 'PUT', { audit_queue_max_bytes: 1000 });
    await mock.scenario({ redis_version: '7.4' });
    expect((await send(mock, 'GET')).body).not.toHaveProperty('audit_queue_max_bytes');
    await mock.scenario({ redis_version: '8.2' });
    expect((await send(mock, 'GET')).body.audit_queue_max_bytes).toBe(1000);
  });

  it('cannot turn Basic off before 8.2, whether the version or basic_auth changes', async () => {
    const old = mockOf('7.4');
    const refused = await old.scenario({ basic_auth: false }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(MockAdminError);
    expect((refused as Error).message).toContain(
      'basic_auth cannot be false while redis_version is 7.4: control_plane_basic_authentication, the setting that turns Basic authentication off, appeared in Redis Software 8.2',
    );
    expect((await old.scenario()).basic_auth).toBe(true);
    expect((await send(old, 'GET')).status).toBe(200);

    const current = mockOf();
    await current.scenario({ basic_auth: false });
    expect((await send(current, 'GET')).status).toBe(401);
    await expect(current.scenario({ redis_version: '8.0.2' })).rejects.toThrow(/basic_auth cannot be false while redis_version is 8\.0\.2/);
  });

  it('has no path before 6.2.18 (404), and has it from then on', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const answer = await send(mockOf('6.0'), method, method === 'PUT' ? { audit_port: 12346 } : undefined);
      expect(answer.status, method).toBe(404);
      expect(answer.body.description).toBe(`Redis Software 6.0 has no ${PATH}: it appeared in 6.2.18`);
    }
    expect((await send(mockOf('6.2.18'), 'GET')).status).toBe(200);
    expect((await send(mockOf('6.2'), 'GET')).status).toBe(404);
  });
});

describe('the records of a version', () => {
  /** The records one simulated batch sends to a real listener. */
  async function recordsOf(redisVersion: string, requests: ConnectionsRequest[]): Promise<AuditRecord[]> {
    const records: AuditRecord[] = [];
    const server: Server = createServer(async (socket) => {
      for await (const record of parseAuditRecords(socket)) records.push(record);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const mock = mockOf(redisVersion);
    try {
      const port = (server.address() as { port: number }).port;
      expect((await send(mock, 'PUT', { audit_protocol: 'TCP', audit_address: '127.0.0.1', audit_port: port })).status).toBe(200);
      await auditDatabase(mock.fetch, redisVersion === '8.2' ? 'connection_and_crud' : 'before 8.2', { base: CLUSTER });
      let expected = 0;
      for (const request of requests) expected += (await mock.auditConnections(request)).records;
      expect(await eventually(() => records.length >= expected, 10_000)).toBe(true);
      return records;
    } finally {
      mock.close();
      server.close();
    }
  }
  const kind = (record: Json) => record.action ?? Object.keys(record).find((key) => key !== 'ts');

  it('7.4: new_int_conn for internal connections, no command records, no audit_worker_id or audit_seq', async () => {
    const records = await recordsOf('7.4', [{ internal: true }, { commands: 2 }]);
    expect(records.map(kind)).toEqual(['new_int_conn', 'new_conn', 'auth', 'close_conn']);
    for (const record of records) {
      expect(isAuditRecord(record)).toBe(true);
      expect(record).not.toHaveProperty('audit_seq');
      expect(record).not.toHaveProperty('audit_worker_id');
    }
  });

  it('8.0.2: internal connections send nothing; 8.2: command records, and audit_seq counting up', async () => {
    expect((await recordsOf('8.0.2', [{ internal: true }, {}])).map(kind)).toEqual(['new_conn', 'auth', 'close_conn']);
    const current = await recordsOf('8.2', [{ internal: true }, {}]);
    expect(current.map(kind)).toEqual(['new_conn', 'auth', 'command', 'close_conn']);
    expect(current.map((record) => (record as Json).audit_seq)).toEqual([0, 1, 2, 3]);
  });
});

describe("the records of each version's docs page", () => {
  const SCHEMA = {
    new_conn: 'NewConnRecord',
    new_int_conn: 'NewIntConnRecord',
    close_conn: 'CloseConnRecord',
    auth: 'AuthRecord',
  } as Record<string, string>;
  const ofPage = (page: string) =>
    EXAMPLES.filter(({ name }) =>
      page === '7.4' ? /Before82$|^newInternal|TooLong$/.test(name) : !/Before82$|^newInternal|TooLong$/.test(name),
    );

  it.for(['7.4', '8.2'])('the %s page: every example parses, and is a record a cluster of that version sends as it is', async (page) => {
    const examples = ofPage(page);
    expect(examples.length).toBeGreaterThanOrEqual(page === '7.4' ? 4 : 5);
    const stream = examples.map(({ payload }) => `${JSON.stringify(payload)}\n`).join('');
    const parsed: AuditRecord[] = [];
    const source = (async function* () {
      yield stream;
    })();
    for await (const record of parseAuditRecords(source)) parsed.push(record);
    expect(parsed).toEqual(examples.map(({ payload }) => payload));
    for (const { message, payload } of examples) {
      const schema = SCHEMA[message] ?? 'CommandRecord';
      expect(recordAsOf(schema, payload, page), message).toEqual(payload);
    }
  });

  it('the 7.4 page has new_int_conn and auth status 1, which 8.2 no longer lists', () => {
    const old = ofPage('7.4').map(({ payload }) => payload);
    expect(old.some((payload) => 'new_int_conn' in payload)).toBe(true);
    expect(old.some((payload) => payload.action === 'auth' && payload.status === 1)).toBe(true);
    const status = asyncapi.components.schemas.AuthStatus;
    expect(status['x-enum-versions']['1']).toEqual({ 'x-introduced-in': '6.2.18', 'x-removed-in': '8.2' });
    expect(recordAsOf('NewIntConnRecord', old.find((payload) => 'new_int_conn' in payload)!, '8.2')).toBeUndefined();
  });
});
