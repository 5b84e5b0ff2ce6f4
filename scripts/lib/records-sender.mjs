/**
 * A stand-in for a cluster's audit sender, for the languages suite's listener tests: it connects
 * to the listener at AUDIT_LISTENER_HOST:AUDIT_LISTENER_PORT, as a cluster does (no handshake),
 * writes every message example of the AsyncAPI document it is given, each followed by a newline
 * (this contract's separator), and closes the connection.
 *
 *   node scripts/lib/records-sender.mjs path/to/asyncapi.json
 *
 * Plain JavaScript, so that it starts from any folder without a TypeScript loader.
 */
import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';

const [file] = process.argv.slice(2);
const host = process.env.AUDIT_LISTENER_HOST ?? '127.0.0.1';
const port = Number(process.env.AUDIT_LISTENER_PORT);
if (!file || !Number.isInteger(port) || port <= 0) {
  console.error('usage: AUDIT_LISTENER_PORT=<port> [AUDIT_LISTENER_HOST=<host>] node records-sender.mjs <asyncapi.json>');
  process.exit(2);
}
const { components } = JSON.parse(readFileSync(file, 'utf8'));
const records = Object.values(components.messages).flatMap((message) => (message.examples ?? []).map((example) => example.payload));
const socket = createConnection({ host, port });
socket.once('error', (error) => {
  console.error(`records-sender: ${error.message}`);
  process.exit(1);
});
socket.end(records.map((record) => `${JSON.stringify(record)}\n`).join(''), () => {
  console.log(`records-sender: sent ${records.length} records to ${host}:${port}`);
});
