import { createServer } from 'node:net';
import { parseAuditRecords } from 'redis-software-auditing-db-conns/records';

const server = createServer(async (socket) => {
  try {
    for await (const record of parseAuditRecords(socket)) {
      if ('new_conn' in record) console.log(`connected: ${record.new_conn.srcip}:${record.new_conn.srcp}`);
      else if ('new_int_conn' in record) console.log(`internal: ${record.new_int_conn.id}`);
      else if ('close_conn' in record) console.log(`closed: ${record.close_conn.id}`);
      else if (record.action === 'auth') console.log(`auth: ${record.username}, status ${record.status}`);
      else console.log(`command: ${record.command} ${record.keys?.join(' ')}, status ${record.status}`);
    }
  } catch (error) {
    console.error(`${error}`); // not an audit record stream: an AuditRecordParseError, with its byte offset
    socket.destroy();
  }
});
// A Unix socket's path in AUDIT_SOCKET (with audit_protocol local), or TCP on AUDIT_HOST:AUDIT_PORT.
const where = process.env.AUDIT_SOCKET
  ? { path: process.env.AUDIT_SOCKET }
  : { port: Number(process.env.AUDIT_PORT ?? 12345), host: process.env.AUDIT_HOST ?? '0.0.0.0' };
server.listen(where, () => console.log('listening', server.address()));
