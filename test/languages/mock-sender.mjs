/**
 * The mock as the audit records' sender, for the languages suite's listener test: it tells the
 * mock (AUDITING_URL, with the Authorization header AUDITING_AUTHORIZATION) to send to the listener at
 * AUDIT_LISTENER_HOST:AUDIT_LISTENER_PORT with a PUT, as a cluster is told, waits for the mock
 * to connect, makes two simulated database connections (one that runs two commands, one whose
 * authentication fails) through the mock's admin API, waits until every record is written, switches
 * the database back off and resets the configuration, which closes the stream. With AUDIT_REDIS_VERSION it first makes the
 * mock play that Redis Software version (the scenario's redis_version), adds one internal
 * connection, and puts the version back at the end.
 *
 *   node test/languages/mock-sender.mjs
 *
 * Plain JavaScript, so that it starts from any folder without a TypeScript loader.
 */
const { AUDITING_URL: mock, AUDITING_AUTHORIZATION: authorization } = process.env;
const host = process.env.AUDIT_LISTENER_HOST ?? '127.0.0.1';
const port = Number(process.env.AUDIT_LISTENER_PORT);
if (!mock || !authorization || !Number.isInteger(port) || port <= 0) {
  console.error('usage: AUDITING_URL=... AUDITING_AUTHORIZATION=... AUDIT_LISTENER_PORT=<port> node mock-sender.mjs');
  process.exit(2);
}
const call = async (method, path, body) => {
  const response = await fetch(`${mock}${path}`, {
    method,
    headers: { authorization, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
};
const until = async (what, condition) => {
  for (const deadline = Date.now() + 20_000; !(await condition()); ) {
    if (Date.now() > deadline) throw new Error(`no ${what} within 20 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

const version = process.env.AUDIT_REDIS_VERSION;
const played = (await call('GET', '/__mock/scenario')).redis_version;
if (version) await call('PUT', '/__mock/scenario', { redis_version: version });
await call('PUT', '/v1/cluster/auditing/db_conns', { audit_protocol: 'TCP', audit_address: host, audit_port: port });
// Database 1 audits nothing until switched on, as a new database: db_conns_auditing on every
// version; from 8.2 (the answer has audit_settings) connection_and_crud, for the command records.
const database = await call('PUT', '/v1/bdbs/1', { db_conns_auditing: true });
if (database.audit_settings) await call('PUT', '/v1/bdbs/1', { audit_settings: { audit_mode: 'connection_and_crud' } });
await until('connection to the listener', async () => (await call('GET', '/__mock/audit/stats')).destination?.connected);
const before = (await call('GET', '/__mock/audit/stats')).audit_sink_sent_messages;
const made = [
  await call('POST', '/__mock/audit/connections', { commands: 2 }),
  await call('POST', '/__mock/audit/connections', { auth: 'failed' }),
  ...(version ? [await call('POST', '/__mock/audit/connections', { internal: true })] : []),
];
const records = made.reduce((total, answer) => total + answer.records, 0);
await until('records written', async () => (await call('GET', '/__mock/audit/stats')).audit_sink_sent_messages - before >= records);
// The cluster refuses the DELETE while a database audits (cannot_delete_audit_config_when_bdb_enabled):
// database 1 goes back off first, as it was.
await call('PUT', '/v1/bdbs/1', database.audit_settings ? { audit_settings: { audit_mode: 'disabled' } } : { db_conns_auditing: false });
await call('DELETE', '/v1/cluster/auditing/db_conns');
if (version) await call('PUT', '/__mock/scenario', { redis_version: played });
console.log(`mock-sender: the mock sent ${records} records to ${host}:${port}`);
