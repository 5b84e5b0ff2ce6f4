/**
 * The records of simulated database connections, as the contract's AsyncAPI document describes
 * them: for each connection `new_conn`, `auth`, the commands, then `close_conn`, every record
 * with `audit_worker_id` and the next `audit_seq`; for an internal connection, `new_int_conn`.
 * Each record is then made as a cluster of the version played sends it (versions.ts): a record
 * type the version does not send goes, and so do the fields it does not have.
 *
 * Which records a connection makes follows its database (databases.ts): none while it audits
 * nothing, connection records with `connection`, and command records too with
 * `connection_and_crud`, as its filters let them through.
 *
 * This mock's decisions: every database listens on 127.0.0.1:12000, each client comes from
 * `source_ip` (127.0.0.1 unless told) on a port of its own; a failed authentication (status 0) is followed by
 * no command; every command is a successful `get` of one key; an internal connection sends no
 * record but `new_int_conn`.
 */

import type { components } from './admin-api.js';
import { auditsCommands, type Database } from './databases.js';
import { recordAsOf } from './versions.js';

type ConnectionsRequest = components['schemas']['ConnectionsRequest'];

/** `status` of an auth record (Redis docs): 0 AUTHENTICATION_FAILED, 8 AUTHENTICATION_OK. */
const AUTH_STATUS = { ok: 8, failed: 0 } as const;
/** `status` of a command record: 9 success. */
const COMMAND_OK = 9;
const TARGET = { trgip: '127.0.0.1', trgp: '12000' };

export function createRecordSource() {
  let seq = 0;
  let connectionId = 13_001_000;
  /** The records of the connections to `database`; the caller checks first that it audits. */
  return (request: ConnectionsRequest, redisVersion: string, database: Database): object[] => {
    const { count = 1, username = 'default', auth = 'ok', commands = 1, internal = false, source_ip = '127.0.0.1' } = request;
    const target = { ...TARGET, bdb_name: database.name, bdb_uid: String(database.uid) };
    // The filters read the user name the connection authenticated as; they apply to new client connections only.
    const commandsAudited = auditsCommands(database, { username, sourceIp: source_ip });
    const records: object[] = [];
    /** A record of the AsyncAPI schema named, as the version sends it, if it does. */
    const send = (schema: string, record: object) => {
      const sent = recordAsOf(schema, { ...record, audit_worker_id: 0, audit_seq: seq }, redisVersion);
      if (!sent) return;
      if ('audit_seq' in sent) seq++;
      records.push(sent);
    };
    for (let i = 0; i < count; i++) {
      const id = connectionId++;
      const ts = Math.floor(Date.now() / 1000);
      const peer = { id, srcip: source_ip, srcp: String(40_000 + (id % 20_000)), ...target };
      if (internal) {
        send('NewIntConnRecord', { ts, new_int_conn: peer });
        continue;
      }
      send('NewConnRecord', { ts, new_conn: peer });
      send('AuthRecord', {
        ts,
        action: 'auth',
        ...peer,
        status: AUTH_STATUS[auth],
        username,
        identity: `user:${username}`,
        'acl-rules': auth === 'ok' ? '+@all ~*' : '',
      });
      for (let c = 0; auth === 'ok' && commandsAudited && c < commands; c++) {
        const key = `key:${c}`;
        send('CommandRecord', {
          ts,
          action: 'command',
          ...peer,
          status: COMMAND_OK,
          command: 'get',
          keys: [key],
          full_key_size_bytes: key.length,
          captured_key_size_bytes: key.length,
          total_keys_count: 1,
          key_truncated: false,
          affected_count: null,
        });
      }
      send('CloseConnRecord', { ts, close_conn: peer });
    }
    return records;
  };
}
