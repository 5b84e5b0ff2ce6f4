/**
 * The docs' listener: the code block of docs/listener.md ("Writing a listener") is
 * docs/examples/listener.ts word for word, and that file, run as its own process on loopback
 * (AUDIT_HOST, AUDIT_PORT 0: any free port) or on a Unix socket (AUDIT_SOCKET), prints each record
 * that a sender writes to it: the AsyncAPI document's examples, and the mock's.
 */
import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMock } from 'redis-software-auditing-db-conns-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuditingClient } from '../../../src/index.ts';
import { MOCK_USER, auditDatabase } from '../../support/mock.ts';
import { root } from '../../../tools/project.ts';
import { start, type Watched } from '../../support/run.ts';
import { EXAMPLE_PAYLOADS, EXAMPLE_STREAM } from '../../support/records.ts';

// It imports the package by its name, which resolves to the built package (dist/).
const file = `${root}docs/examples/listener.ts`;

describe("the docs' listener", () => {
  let listener: Watched | undefined;
  afterEach(async () => {
    listener?.child.kill('SIGTERM');
    await listener?.exited;
  });

  it('is the code block of docs/listener.md', () => {
    const section = readFileSync(`${root}docs/listener.md`, 'utf8');
    expect(section.match(/```ts\n([\s\S]*?)```/)?.[1]).toBe(readFileSync(file, 'utf8'));
  });

  it('prints each record a sender writes to it, and says where a stream goes wrong', async () => {
    listener = start(process.execPath, ['--import', 'tsx', file], { env: { AUDIT_PORT: '0', AUDIT_HOST: '127.0.0.1' } });
    await listener.waitFor('listening');
    const port = Number(listener.stdout().match(/port: (\d+)/)![1]);
    const send = (text: string) =>
      new Promise<void>((sent, failed) =>
        createConnection(port, '127.0.0.1')
          .once('error', failed)
          .end(text, () => sent()),
      );
    await send(EXAMPLE_STREAM);
    // Every example of every version's page, in the document's order: what the listener says of each.
    const lines = (EXAMPLE_PAYLOADS as any[]).map((record) =>
      record.new_conn
        ? `connected: ${record.new_conn.srcip}:${record.new_conn.srcp}`
        : record.new_int_conn
          ? `internal: ${record.new_int_conn.id}`
          : record.close_conn
            ? `closed: ${record.close_conn.id}`
            : record.action === 'auth'
              ? `auth: ${record.username}, status ${record.status}`
              : `command: ${record.command} ${record.keys.join(' ')}, status ${record.status}`,
    );
    expect(lines.filter((line) => line.startsWith('internal: '))).toHaveLength(1);
    await listener.waitFor(lines.at(-1)!);
    expect(listener.stdout().split('\n').slice(1, -1)).toEqual(lines);

    await send('{"ts":1,"action":"auth"}\nGET / HTTP/1.1\r\n');
    await listener.waitFor('AuditRecordParseError', { in: 'both' });
    expect(listener.stderr()).toContain('expected a record (a JSON object), found "G" (at byte 25)');
  });

  it.for(['TCP', 'local'] as const)("receives and parses the mock's records, over %s", async (protocol, { expect }) => {
    const dir = mkdtempSync(join(tmpdir(), 'listener-'));
    const path = join(dir, 'audit.sock');
    const mock = await startMock();
    try {
      const env = protocol === 'local' ? { AUDIT_SOCKET: path } : { AUDIT_PORT: '0', AUDIT_HOST: '127.0.0.1' };
      listener = start(process.execPath, ['--import', 'tsx', file], { env });
      await listener.waitFor('listening');
      const auditing = createAuditingClient({ baseUrl: mock.url, ...MOCK_USER });
      if (protocol === 'local') await auditing.update({ audit_protocol: 'local', audit_address: path });
      else {
        const port = Number(listener.stdout().match(/port: (\d+)/)![1]);
        await auditing.update({ audit_protocol: 'TCP', audit_address: '127.0.0.1', audit_port: port });
      }
      await auditDatabase(fetch, 'connection_and_crud', { base: mock.url });
      await mock.auditConnections({ username: 'alice', commands: 1 });
      await listener.waitFor('closed: ');
      expect(listener.stdout().split('\n').slice(1, -1)).toEqual([
        expect.stringMatching(/^connected: 127\.0\.0\.1:\d+$/),
        'auth: alice, status 8',
        'command: get key:0, status 9',
        expect.stringMatching(/^closed: \d+$/),
      ]);
    } finally {
      await mock.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
