/**
 * The mock as the sender of audit records, to real TCP listeners and real Unix sockets on this
 * machine: once a PUT stores a listener, simulated connections send their records there, each
 * valid against the records' schema, `audit_seq` counting up; the listener down, then up, gets
 * what was queued; a small queue drops and counts; exhausted reconnects show in the stats; a
 * DELETE closes the stream; and an address off loopback is never reached.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { type Server, type Socket, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import getPort from 'get-port';
import { type Mock, createMock } from 'redis-software-auditing-db-conns-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditingClient, type DbConnsAuditingConfigUpdate } from '../../src/index.ts';
import { type AuditRecord, isAuditRecord, parseAuditRecords } from '../../src/records.ts';
import { MOCK_USER, auditDatabase, eventually } from '../support/mock.ts';
import { recordsSchema } from '../support/records.ts';

/** `audit_seq`, which a record of 8.2 carries (and `new_int_conn`, of older clusters only, never). */
const seqOf = (record: AuditRecord) => ('audit_seq' in record ? record.audit_seq : undefined);

const validate = new Ajv({ strict: false, allowUnionTypes: true }).compile(recordsSchema);

/** A real listener: every record it parses, per connection, and each connection's end. */
function listen(where: { port: number; host: string } | { path: string }) {
  const records: AuditRecord[] = [];
  const sockets: Socket[] = [];
  let ended = 0;
  const server: Server = createServer(async (socket) => {
    sockets.push(socket);
    try {
      for await (const record of parseAuditRecords(socket)) records.push(record);
      ended++;
    } catch {
      // destroyed by close() below
    }
  });
  server.listen(where);
  return {
    records,
    ended: () => ended,
    ready: once(server, 'listening'),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
type Listener = ReturnType<typeof listen>;

// The mock with no port: only the records' stream is real sockets here.
const mock: Mock = createMock();
let listener: Listener | undefined;
const dir = mkdtempSync(join(tmpdir(), 'audit-'));
afterAll(() => {
  mock.close();
  rmSync(dir, { recursive: true, force: true });
});
// Database 1 audits connections and commands: a new database audits nothing, and sends no record.
beforeEach(async () => {
  await mock.reset();
  await auditDatabase(mock.fetch);
});
afterEach(async () => {
  await listener?.close();
  listener = undefined;
});

const client = () => createAuditingClient({ baseUrl: 'https://cluster.example.com:9443', ...MOCK_USER, fetch: mock.fetch });
const tcp = (port: number, more: DbConnsAuditingConfigUpdate = {}) =>
  client().update({ audit_protocol: 'TCP', audit_address: '127.0.0.1', audit_port: port, ...more });
const arrived = (count: number) => eventually(() => (listener?.records.length ?? 0) >= count, 10_000);

describe('over TCP', () => {
  it('sends each record type of each connection, valid against the schema, with audit_seq counting up', async () => {
    const port = await getPort({ host: '127.0.0.1' });
    listener = listen({ port, host: '127.0.0.1' });
    await listener.ready;
    await tcp(port);
    const answer = await mock.auditConnections({ count: 2, username: 'alice', commands: 2 });
    expect(answer).toMatchObject({ connections: 2, records: 10 });
    expect(await arrived(10)).toBe(true);
    const { records } = listener;
    const kinds = records.map((r) =>
      'new_conn' in r ? 'new_conn' : 'close_conn' in r ? 'close_conn' : 'action' in r ? r.action : 'new_int_conn',
    );
    expect(kinds).toEqual(['new_conn', 'auth', 'command', 'command', 'close_conn', 'new_conn', 'auth', 'command', 'command', 'close_conn']);
    for (const record of records) {
      expect(validate(record), JSON.stringify(validate.errors)).toBe(true);
      expect(isAuditRecord(record)).toBe(true);
    }
    expect(records.map(seqOf)).toEqual([...Array(10).keys()]);
    expect(records.filter((r) => 'action' in r && r.action === 'auth').map((r) => (r as { username?: string }).username)).toEqual([
      'alice',
      'alice',
    ]);
    const stats = await mock.auditStats();
    expect(stats).toMatchObject({ audit_sink_sent_messages: 10, audit_sink_connect_events: 1, audit_sink_connected_workers: 1 });
  });

  it('a failed authentication is followed by no command', async () => {
    const port = await getPort({ host: '127.0.0.1' });
    listener = listen({ port, host: '127.0.0.1' });
    await listener.ready;
    await tcp(port);
    await mock.auditConnections({ auth: 'failed', commands: 3 });
    expect(await arrived(3)).toBe(true);
    expect(listener.records.map((r) => ('action' in r ? [r.action, r.status] : Object.keys(r)[1]))).toEqual([
      'new_conn',
      ['auth', 0],
      'close_conn',
    ]);
  });

  it('the listener down, then up: the records queued in between are delivered, after reconnect attempts', async () => {
    const port = await getPort({ host: '127.0.0.1' });
    await tcp(port, { audit_reconnect_interval: 1 });
    await mock.auditConnections({ count: 1, commands: 1 }); // 4 records, queued: nothing listens yet
    const waiting = await mock.auditStats();
    expect(waiting.audit_sink_sent_messages).toBe(0);
    expect(waiting.audit_sink_pending_bytes).toBeGreaterThan(0);
    listener = listen({ port, host: '127.0.0.1' });
    await listener.ready;
    expect(await arrived(4)).toBe(true);
    const stats = await mock.auditStats();
    expect(stats.audit_sink_reconnect_attempts).toBeGreaterThanOrEqual(1);
    expect(stats).toMatchObject({ audit_sink_sent_messages: 4, audit_sink_pending_bytes: 0, audit_sink_connect_events: 1 });
    expect(stats.audit_sink_queue_high_watermark_bytes).toBe(waiting.audit_sink_pending_bytes);
  });

  it('a small audit_queue_max_bytes while the listener is down drops records, and counts them', async () => {
    const port = await getPort({ host: '127.0.0.1' });
    await tcp(port, { audit_queue_max_bytes: 600 });
    await mock.auditConnections({ count: 3, commands: 1 }); // 12 records of about 270 bytes
    const stats = await mock.auditStats();
    expect(stats.audit_sink_pending_bytes).toBeLessThanOrEqual(600);
    expect(stats.audit_sink_dropped_queue_full_messages).toBeGreaterThan(0);
    expect(stats.audit_sink_dropped_messages).toBe(stats.audit_sink_dropped_queue_full_messages);
    expect(stats.audit_sink_dropped_bytes).toBeGreaterThan(0);
  });

  it('audit_reconnect_max_attempts exhausted shows in the stats, and what follows is dropped as disconnected', async () => {
    const port = await getPort({ host: '127.0.0.1' });
    await tcp(port, { audit_reconnect_interval: 1, audit_reconnect_max_attempts: 1 });
    expect(await eventually(async () => (await mock.auditStats()).audit_sink_reconnect_attempts_exhausted === 1, 10_000)).toBe(true);
    await mock.auditConnections({ count: 1, commands: 0 });
    const stats = await mock.auditStats();
    expect(stats).toMatchObject({
      audit_sink_reconnect_attempts: 1,
      audit_sink_dropped_disconnected_messages: 3,
      audit_sink_connect_events: 0,
    });
  });

  it('a DELETE closes the stream, and records after it go nowhere', async () => {
    const port = await getPort({ host: '127.0.0.1' });
    listener = listen({ port, host: '127.0.0.1' });
    await listener.ready;
    await tcp(port);
    await mock.auditConnections({ commands: 0 });
    expect(await arrived(3)).toBe(true);
    await mock.scenario({ database_auditing: false }); // DELETE is refused while database 1 audits
    await client().reset();
    expect(await eventually(() => listener!.ended() === 1, 5000)).toBe(true);
    // Database 1 audits nothing now: nothing is made, and the answer says why.
    expect(await mock.auditConnections({ commands: 0 })).toMatchObject({
      records: 0,
      skipped: expect.stringContaining('audit_mode is disabled'),
    });
    // The scenario's shortcut switches it on without a configuration: the records have nowhere to go.
    await mock.scenario({ database_auditing: true });
    const { stats } = await mock.auditConnections({ commands: 0 });
    expect(stats).toMatchObject({ destination: null, audit_sink_disconnect_events: 1, audit_sink_dropped_disconnected_messages: 3 });
    expect(listener.records.length).toBe(3);
  });

  it('an address off loopback is refused without --audit-any-host: no connection is tried', async () => {
    // A documentation address (RFC 5737): never reached, since the mock refuses to try.
    await client().update({ audit_protocol: 'TCP', audit_address: '192.0.2.10', audit_port: 514 });
    const stats = await mock.auditStats();
    expect(stats.destination).toMatchObject({
      address: '192.0.2.10',
      connected: false,
      refused: expect.stringContaining('--audit-any-host'),
    });
    expect(stats).toMatchObject({ audit_sink_connect_events: 0, audit_sink_reconnect_attempts: 0 });
  });
});

describe('over a Unix socket (local)', () => {
  it('sends the records to the socket the configuration names', async () => {
    const path = join(dir, 'audit.sock');
    listener = listen({ path });
    await listener.ready;
    await client().update({ audit_protocol: 'local', audit_address: path });
    await mock.auditConnections({ count: 1, commands: 2 });
    expect(await arrived(5)).toBe(true);
    expect(listener.records.map(seqOf)).toEqual([0, 1, 2, 3, 4]);
    expect(listener.records.every(isAuditRecord)).toBe(true);
  });
});
