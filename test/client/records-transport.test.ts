/**
 * The records over the two transports of the AsyncAPI document, for real on loopback: a listener
 * (`node:net` server on 127.0.0.1, and on a Unix stream socket in a temporary folder) parses each
 * connection with parseAuditRecords(), while a sender on the test's side connects as the cluster
 * does and writes the AsyncAPI document's examples, in small pieces.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { type AuditRecordParseError, isAuditRecord, parseAuditRecords } from '../../src/records.ts';
import { EXAMPLE_PAYLOADS, EXAMPLE_STREAM } from '../support/records.ts';

const dir = mkdtempSync(join(tmpdir(), 'records-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Received {
  records: unknown[];
  error?: AuditRecordParseError;
}

/** A listener whose first connection's records (and error) resolve `received`; `where` is a port or a socket path. */
async function startListener(where: { port: 0; host: string } | { path: string }) {
  let resolve!: (received: Received) => void;
  const received = new Promise<Received>((done) => {
    resolve = done;
  });
  const server: Server = createServer(async (socket) => {
    const records: unknown[] = [];
    try {
      for await (const record of parseAuditRecords(socket)) records.push(record);
      resolve({ records });
    } catch (error) {
      socket.destroy();
      resolve({ records, error: error as AuditRecordParseError });
    }
  });
  await new Promise<void>((listening) => server.listen(where, listening));
  const close = () => new Promise<void>((closed) => server.close(() => closed()));
  return { server, received, close };
}

/** Connects as the cluster does (no handshake) and writes the text in pieces of `piece` bytes, then ends. */
async function send(where: { port: number; host: string } | { path: string }, text: string, piece = 7) {
  const socket = createConnection(where);
  await new Promise<void>((connected, failed) => socket.once('connect', connected).once('error', failed));
  socket.setNoDelay(true);
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += piece) {
    socket.write(bytes.subarray(at, at + piece));
    await nextTurn();
  }
  await new Promise<void>((ended) => socket.end(ended));
}

describe('the AsyncAPI examples sent to a real listener', () => {
  it('arrive over TCP on 127.0.0.1, every one a valid record, as sent', async () => {
    const listener = await startListener({ port: 0, host: '127.0.0.1' });
    const { port } = listener.server.address() as AddressInfo;
    await send({ port, host: '127.0.0.1' }, EXAMPLE_STREAM);
    const { records, error } = await listener.received;
    await listener.close();
    expect(error).toBeUndefined();
    expect(records).toEqual(EXAMPLE_PAYLOADS);
    for (const record of records) expect(isAuditRecord(record)).toBe(true);
  });

  it('arrive over a Unix stream socket, and the socket file goes with the listener', async () => {
    const path = join(dir, 'audit.sock');
    const listener = await startListener({ path });
    expect(existsSync(path)).toBe(true);
    await send({ path }, EXAMPLE_STREAM, 3);
    const { records, error } = await listener.received;
    await listener.close();
    expect(error).toBeUndefined();
    expect(records).toEqual(EXAMPLE_PAYLOADS);
    expect(existsSync(path)).toBe(false);
  });

  it('arrive with no separator between them, over TCP', async () => {
    const listener = await startListener({ port: 0, host: '127.0.0.1' });
    const { port } = listener.server.address() as AddressInfo;
    await send({ port, host: '127.0.0.1' }, EXAMPLE_PAYLOADS.map((payload) => JSON.stringify(payload)).join(''), 11);
    const { records, error } = await listener.received;
    await listener.close();
    expect(error).toBeUndefined();
    expect(records).toEqual(EXAMPLE_PAYLOADS);
  });

  it('are all received before garbage on the stream, which the listener reports by its byte offset', async () => {
    const path = join(dir, 'garbage.sock');
    const listener = await startListener({ path });
    await send({ path }, `${EXAMPLE_STREAM}HTTP/1.1 200 OK\r\n`);
    const { records, error } = await listener.received;
    await listener.close();
    expect(records).toEqual(EXAMPLE_PAYLOADS);
    expect(error?.offset).toBe(Buffer.byteLength(EXAMPLE_STREAM));
    expect(error?.reason).toBe('not-json');
  });
});
