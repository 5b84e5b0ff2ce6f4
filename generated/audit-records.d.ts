// Generated from the spec by scripts/build.ts: do not edit.
/**
 * One record the cluster sends to the audit listener: a JSON object of one
 * of five types (Redis docs, `security/audit-events.md`, and its 7.4 page
 * for `new_int_conn`). `new_conn`, `new_int_conn` and `close_conn` records
 * are told apart by that key, `auth` and `command` records by their
 * `action`. Each type says, with `x-introduced-in` and `x-removed-in`, which
 * Redis Software versions send it: a listener reads them all.
 * 
 * Unknown fields are tolerated, in every record type: a newer cluster may
 * add some. A record of a type not listed here is not an `AuditRecord`.
 * 
 */
export type AuditRecord = (NewConnRecord | NewIntConnRecord | CloseConnRecord | AuthRecord | CommandRecord)
/**
 * The result of an authentication request (Redis docs,
 * `security/audit-events.md`, with the names they give):
 * 
 * - `0` AUTHENTICATION_FAILED: invalid username or password.
 * - `1` AUTHENTICATION_FAILED_TOO_LONG: the username or password is too
 *   long. Documented before Redis Software 8.2 (the 7.4 page); the 8.2 page
 *   no longer lists it.
 * - `2` AUTHENTICATION_NOT_REQUIRED: the client tried to authenticate, but
 *   authentication is not needed.
 * - `3` AUTHENTICATION_DIRECTORY_PENDING: waiting for the directory's answer
 *   (asynchronous mode).
 * - `4` AUTHENTICATION_DIRECTORY_ERROR: failed on a directory connection
 *   error.
 * - `5` AUTHENTICATION_SYNCER_IN_PROGRESS: syncer SASL handshake, waiting for
 *   the next request.
 * - `6` AUTHENTICATION_SYNCER_FAILED: syncer SASL handshake, connection
 *   closed.
 * - `7` AUTHENTICATION_SYNCER_OK: the syncer authenticated.
 * - `8` AUTHENTICATION_OK: the client authenticated.
 * - `9` AUTHENTICATION_ENTRAID_ERROR: failed on an EntraID connection error.
 * - `10` AUTHENTICATION_CBA_PENDING: certificate-based authentication
 *   pending, waiting for the external service.
 * 
 * A listener reads every value of every version it may meet: `1` is
 * accepted from any cluster. That the 8.2 page dropping `1` means 8.2
 * clusters no longer send it is this contract's reading (`x-removed-in`).
 * 
 */
export type AuthStatus = (0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10)
/**
 * Whether the command succeeded (Redis docs, `security/audit-events.md`):
 * `9` it completed successfully, `10` it failed and `error` holds the error
 * it returned. The names COMMAND_OK and COMMAND_FAILED are this contract's:
 * Redis gives these codes no names.
 * 
 */
export type CommandStatus = (9 | 10)

/**
 * Sent when a client connects to a database: the connection's fields are
 * nested under `new_conn`, and the record has no `action` (Redis docs,
 * `security/audit-events.md`).
 * 
 * Required here: `ts` and `new_conn`, the field that names the record type
 * (this contract's decision; Redis marks no field as required). Unknown
 * fields are tolerated: a newer cluster may add some.
 * 
 */
export interface NewConnRecord {
/**
 * When the event happened: Unix time in seconds, UTC, to within one second
 * (Redis docs, `security/audit-events.md`).
 * 
 */
ts: number
new_conn: AuditConnection
/**
 * The ID of the proxy worker thread that produced the record, for debugging
 * only (Redis docs). Every record type carries it from Redis Software 8.2
 * (release notes `rs-8-2-0-25.md`); records of older clusters have none (the
 * 7.4 page), so this contract does not require it (its decision).
 * 
 */
audit_worker_id?: number
/**
 * The record's sequence number within its worker (`audit_worker_id`): a gap
 * shows records that were dropped (Redis docs). Every record type carries
 * it from Redis Software 8.2 (release notes `rs-8-2-0-25.md`); records of
 * older clusters have none (the 7.4 page), so this contract does not require
 * it (its decision).
 * 
 */
audit_seq?: number
}
/**
 * The connection a `new_conn`, `new_int_conn` or `close_conn` record is
 * about, nested under that key (Redis docs, `security/audit-events.md`). Redis marks no field as
 * required; none is here.
 * 
 * Unknown fields are tolerated: a newer cluster may add some.
 * 
 */
export interface AuditConnection {
/**
 * The connection's ID, unique, assigned by the proxy (Redis docs). The
 * records of one connection (`new_conn`, `auth`, `command`, `close_conn`)
 * carry the same ID.
 * 
 */
id?: number
/**
 * The client's IP address (Redis docs).
 */
srcip?: string
/**
 * The client's port. A string, not a number: the Redis docs type it so and
 * their examples send `"46252"`.
 * 
 */
srcp?: string
/**
 * The IP address of the database endpoint the client connected to (Redis docs).
 */
trgip?: string
/**
 * The port of the database endpoint. A string, not a number: the Redis docs
 * type it so and their examples send `"12000"`.
 * 
 */
trgp?: string
/**
 * The client's hostname, if available. The Redis docs list it as currently
 * empty and reserved for future use, and leave it out of their table of the
 * fields each record type carries: this contract allows it on every record
 * type and requires it on none.
 * 
 */
hname?: string
/**
 * The database's name (Redis docs).
 */
bdb_name?: string
/**
 * The database's unique ID in the cluster. A string, such as `"1"` (Redis
 * docs).
 * 
 */
bdb_uid?: string
}
/**
 * Sent, before Redis Software 8.0.2, when an internal connection (one the
 * cluster opens itself) connects to a database: the connection's fields are
 * nested under `new_int_conn`, in the same shape as `new_conn`, and the
 * record has no `action` (Redis docs, the 7.4 page of
 * `security/audit-events.md`: "indicates a new internal connection").
 * Redis Software 8.0.2 stopped sending it (release notes `rs-8-0-2-17.md`:
 * "Internal connections no longer generate `new_int_conn` audit records").
 * A listener that may meet an older cluster reads it.
 * 
 * Required here: `ts` and `new_int_conn`, the field that names the record
 * type (this contract's decision; Redis marks no field as required).
 * Unknown fields are tolerated.
 * 
 */
export interface NewIntConnRecord {
/**
 * When the event happened: Unix time in seconds, UTC, to within one second
 * (Redis docs, `security/audit-events.md`).
 * 
 */
ts: number
new_int_conn: AuditConnection
}
/**
 * Sent when a client connection to a database closes: the connection's
 * fields are nested under `close_conn`, and the record has no `action`
 * (Redis docs, `security/audit-events.md`).
 * 
 * Required here: `ts` and `close_conn`, the field that names the record type
 * (this contract's decision; Redis marks no field as required). Unknown
 * fields are tolerated: a newer cluster may add some.
 * 
 */
export interface CloseConnRecord {
/**
 * When the event happened: Unix time in seconds, UTC, to within one second
 * (Redis docs, `security/audit-events.md`).
 * 
 */
ts: number
close_conn: AuditConnection
/**
 * The ID of the proxy worker thread that produced the record, for debugging
 * only (Redis docs). Every record type carries it from Redis Software 8.2
 * (release notes `rs-8-2-0-25.md`); records of older clusters have none (the
 * 7.4 page), so this contract does not require it (its decision).
 * 
 */
audit_worker_id?: number
/**
 * The record's sequence number within its worker (`audit_worker_id`): a gap
 * shows records that were dropped (Redis docs). Every record type carries
 * it from Redis Software 8.2 (release notes `rs-8-2-0-25.md`); records of
 * older clusters have none (the 7.4 page), so this contract does not require
 * it (its decision).
 * 
 */
audit_seq?: number
}
/**
 * Sent for an authentication request, on a new connection or an
 * authorization check on an existing one: `"action": "auth"`, with the
 * connection's fields at the top level (Redis docs,
 * `security/audit-events.md`).
 * 
 * Required here: `ts` and `action`, the field that names the record type
 * (this contract's decision; Redis marks no field as required). Unknown
 * fields are tolerated: a newer cluster may add some.
 * 
 */
export interface AuthRecord {
/**
 * When the event happened: Unix time in seconds, UTC, to within one second
 * (Redis docs, `security/audit-events.md`).
 * 
 */
ts: number
/**
 * `auth`: the record of an authentication request (Redis docs).
 */
action: "auth"
/**
 * The connection's ID, unique, assigned by the proxy (Redis docs). The
 * records of one connection (`new_conn`, `auth`, `command`, `close_conn`)
 * carry the same ID.
 * 
 */
id?: number
/**
 * The client's IP address (Redis docs).
 */
srcip?: string
/**
 * The client's port. A string, not a number: the Redis docs type it so and
 * their examples send `"46252"`.
 * 
 */
srcp?: string
/**
 * The IP address of the database endpoint the client connected to (Redis docs).
 */
trgip?: string
/**
 * The port of the database endpoint. A string, not a number: the Redis docs
 * type it so and their examples send `"12000"`.
 * 
 */
trgp?: string
/**
 * The client's hostname, if available. The Redis docs list it as currently
 * empty and reserved for future use, and leave it out of their table of the
 * fields each record type carries: this contract allows it on every record
 * type and requires it on none.
 * 
 */
hname?: string
/**
 * The database's name (Redis docs).
 */
bdb_name?: string
/**
 * The database's unique ID in the cluster. A string, such as `"1"` (Redis
 * docs).
 * 
 */
bdb_uid?: string
status?: AuthStatus
/**
 * The username the client authenticates as (Redis docs).
 */
username?: string
/**
 * The ID the proxy gave the user for this connection, such as `user:default` (Redis docs).
 */
identity?: string
/**
 * The ACL rules of the user, such as `allkeys +@all allchannels`. The
 * name has a hyphen, not an underscore (Redis docs).
 * 
 */
"acl-rules"?: string
/**
 * The user's LDAP group; present only when the user has one (Redis docs).
 */
group?: string
/**
 * The ID of the proxy worker thread that produced the record, for debugging
 * only (Redis docs). Every record type carries it from Redis Software 8.2
 * (release notes `rs-8-2-0-25.md`); records of older clusters have none (the
 * 7.4 page), so this contract does not require it (its decision).
 * 
 */
audit_worker_id?: number
/**
 * The record's sequence number within its worker (`audit_worker_id`): a gap
 * shows records that were dropped (Redis docs). Every record type carries
 * it from Redis Software 8.2 (release notes `rs-8-2-0-25.md`); records of
 * older clusters have none (the 7.4 page), so this contract does not require
 * it (its decision).
 * 
 */
audit_seq?: number
}
/**
 * Sent for a database command (a CRUD request): `"action": "command"`, with
 * the connection's fields at the top level. Only from Redis Software 8.2,
 * for databases whose `audit_settings.audit_mode` is `connection_and_crud`.
 * A record never holds the value of a key, only its name (Redis docs,
 * `security/audit-events.md`).
 * 
 * Required here: `ts` and `action`, the field that names the record type
 * (this contract's decision; Redis marks no field as required). Unknown
 * fields are tolerated: a newer cluster may add some.
 * 
 */
export interface CommandRecord {
/**
 * When the event happened: Unix time in seconds, UTC, to within one second
 * (Redis docs, `security/audit-events.md`).
 * 
 */
ts: number
/**
 * `command`: the record of a database command (Redis docs).
 */
action: "command"
/**
 * The connection's ID, unique, assigned by the proxy (Redis docs). The
 * records of one connection (`new_conn`, `auth`, `command`, `close_conn`)
 * carry the same ID.
 * 
 */
id?: number
/**
 * The client's IP address (Redis docs).
 */
srcip?: string
/**
 * The client's port. A string, not a number: the Redis docs type it so and
 * their examples send `"46252"`.
 * 
 */
srcp?: string
/**
 * The IP address of the database endpoint the client connected to (Redis docs).
 */
trgip?: string
/**
 * The port of the database endpoint. A string, not a number: the Redis docs
 * type it so and their examples send `"12000"`.
 * 
 */
trgp?: string
/**
 * The client's hostname, if available. The Redis docs list it as currently
 * empty and reserved for future use, and leave it out of their table of the
 * fields each record type carries: this contract allows it on every record
 * type and requires it on none.
 * 
 */
hname?: string
/**
 * The database's name (Redis docs).
 */
bdb_name?: string
/**
 * The database's unique ID in the cluster. A string, such as `"1"` (Redis
 * docs).
 * 
 */
bdb_uid?: string
status?: CommandStatus
/**
 * The command's name, such as `get` (Redis docs).
 */
command?: string
/**
 * The key or keys of the command; empty when none was captured (Redis docs).
 */
keys?: string[]
/**
 * The size in bytes of all the command's keys, before any truncation (Redis docs).
 */
full_key_size_bytes?: number
/**
 * The size in bytes of the keys this record captured in `keys` (Redis docs).
 */
captured_key_size_bytes?: number
/**
 * How many keys the command names (Redis docs).
 */
total_keys_count?: number
/**
 * Whether `keys` was truncated (Redis docs).
 */
key_truncated?: boolean
/**
 * How many keys or elements the command affected, when that applies; `null` otherwise (Redis docs).
 */
affected_count?: (number | null)
/**
 * The error the command returned. Present only when it failed (`status`
 * 10) (Redis docs).
 * 
 */
error?: string
/**
 * Whether `error` was truncated. Present only when the command failed
 * (`status` 10) (Redis docs).
 * 
 */
error_truncated?: boolean
/**
 * The ID of the proxy worker thread that produced the record, for debugging
 * only (Redis docs). Every record type carries it from Redis Software 8.2
 * (release notes `rs-8-2-0-25.md`); records of older clusters have none (the
 * 7.4 page), so this contract does not require it (its decision).
 * 
 */
audit_worker_id?: number
/**
 * The record's sequence number within its worker (`audit_worker_id`): a gap
 * shows records that were dropped (Redis docs). Every record type carries
 * it from Redis Software 8.2 (release notes `rs-8-2-0-25.md`); records of
 * older clusters have none (the 7.4 page), so this contract does not require
 * it (its decision).
 * 
 */
audit_seq?: number
}
