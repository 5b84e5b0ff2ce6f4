// Generated from the spec by scripts/build.ts: do not edit.
export interface paths {
    "/v1/cluster/auditing/db_conns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get database connection auditing settings
         * @description Gets the configuration settings for auditing database connections.
         *
         *     **Required permission:** `view_cluster_info`, held by the roles `admin`,
         *     `cluster_member`, `cluster_viewer`, `db_member`, `db_viewer` and
         *     `user_manager`.
         *
         */
        get: operations["getDbConnsAuditingConfig"];
        /**
         * Update database connection auditing settings
         * @description Updates the configuration settings for auditing database connections.
         *     The body holds only the fields to change (a partial update); the
         *     response is the whole configuration after the update.
         *
         *     **Required permission:** `update_cluster`, held by the role `admin`.
         *
         */
        put: operations["updateDbConnsAuditingConfig"];
        post?: never;
        /**
         * Delete database connection auditing settings
         * @description Resets the configuration settings for auditing database connections.
         *     The response is a status code alone: it says whether the settings were
         *     reset.
         *
         *     The cluster refuses while anything still audits to this destination:
         *     while the cluster policy `db_conns_auditing` (`PUT /v1/cluster/policy`)
         *     is true, or while any database has connection auditing on.
         *
         *     **Required permission:** `update_cluster`, held by the role `admin`.
         *
         */
        delete: operations["deleteDbConnsAuditingConfig"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/cluster/policy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get the cluster policy
         * @description Gets the cluster policy. This contract describes only `db_conns_auditing`;
         *     the answer carries the policy's other fields too.
         *
         *     **Required permission:** `view_cluster_info`.
         *
         */
        get: operations["getClusterPolicy"];
        /**
         * Update the cluster policy
         * @description Updates the fields of the cluster policy it is given. With
         *     `{"db_conns_auditing": true}` new databases audit their connections by
         *     default, and `DELETE /v1/cluster/auditing/db_conns` is refused with
         *     `cannot_delete_audit_config_when_policy_enabled` until it is `false`
         *     again.
         *
         *     The Redis docs give the answer only as a status: that it has no body is
         *     this contract's decision (read the policy with `GET`).
         *
         *     **Required permission:** `update_cluster`.
         *
         */
        put: operations["updateClusterPolicy"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/bdbs/{uid}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The database's unique ID. */
                uid: number;
            };
            cookie?: never;
        };
        /**
         * Get a database
         * @description Gets a database. This contract describes only the fields that concern
         *     auditing (`uid`, `name`, `db_conns_auditing` and, from 8.2,
         *     `audit_settings`); the answer carries the database's other fields too.
         *
         *     **Required permission:** `view_bdb_info`. The sources this contract was written from give
         *     the permission of `PUT` alone (`update_bdb`): the one for `GET` is this contract's decision,
         *     the name the REST API's permissions list gives to reading a database.
         *
         */
        get: operations["getDatabase"];
        /**
         * Update a database
         * @description Updates the fields of the database it is given. Auditing is turned on
         *     with `{"db_conns_auditing": true}` (deprecated in 8.2) or, from 8.2,
         *     with `audit_settings`, a partial update merged into what is stored
         *     (if both are sent, `audit_mode` wins). Either needs the cluster's
         *     auditing configuration (`PUT /v1/cluster/auditing/db_conns`) first.
         *     While any database audits, `DELETE /v1/cluster/auditing/db_conns` is
         *     refused with `cannot_delete_audit_config_when_bdb_enabled`.
         *
         *     **Required permission:** `update_bdb`, held by the roles `admin`,
         *     `cluster_member` and `db_member`.
         *
         */
        put: operations["updateDatabase"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/authorize": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Get a token
         * @description Answers a JSON Web Token for the user whose name and password it is
         *     sent, to send as `Authorization: Bearer <token>` on later requests. The
         *     token lives `ttl` seconds (300 unless the body says otherwise).
         *
         *     The Redis docs authenticate this request with the user's name and
         *     password and say nothing of it once `control_plane_basic_authentication`
         *     is off. This contract's decision: it still takes Basic then, since it is
         *     how a client without a client certificate gets a token; every other
         *     request refuses Basic.
         *
         *     **Required permission:** none beyond being a user of the cluster.
         *
         */
        post: operations["authorize"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/cluster": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get the cluster's settings
         * @description Gets the cluster object. This contract describes only
         *     `control_plane_basic_authentication` (from 8.2); the answer carries the
         *     cluster's other fields too.
         *
         *     **Required permission:** `view_cluster_info`.
         *
         */
        get: operations["getCluster"];
        /**
         * Update the cluster's settings
         * @description Updates the fields of the cluster it is given. From 8.2,
         *     `{"control_plane_basic_authentication": false}` turns HTTP Basic
         *     authentication off: every later request with Basic credentials gets
         *     `401`, and clients use a bearer token from `POST /v1/users/authorize`
         *     or a client certificate.
         *
         *     **Required permission:** `update_cluster`.
         *
         */
        put: operations["updateCluster"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * AuditRecord
         * @description One record the cluster sends to the audit listener: a JSON object of one
         *     of five types (Redis docs, `security/audit-events.md`, and its 7.4 page
         *     for `new_int_conn`). `new_conn`, `new_int_conn` and `close_conn` records
         *     are told apart by that key, `auth` and `command` records by their
         *     `action`. Each type says, with `x-introduced-in` and `x-removed-in`, which
         *     Redis Software versions send it: a listener reads them all.
         *
         *     Unknown fields are tolerated, in every record type: a newer cluster may
         *     add some. A record of a type not listed here is not an `AuditRecord`.
         *
         */
        AuditRecord: components["schemas"]["NewConnRecord"] | components["schemas"]["NewIntConnRecord"] | components["schemas"]["CloseConnRecord"] | components["schemas"]["AuthRecord"] | components["schemas"]["CommandRecord"];
        /**
         * @description The address of the listener that receives the audit records. With the
         *     `TCP` protocol, a TCP/IP address where the listener listens; with `local`,
         *     the path of a Unix stream socket on the cluster node, such as
         *     `/var/opt/redislabs/run/db-audit.sock`.
         *
         * @example 127.0.0.1
         */
        AuditAddress: string;
        /**
         * @description The TCP port where the listener listens. `TCP` only: with the `local`
         *     protocol the port must not be specified.
         *
         * @example 12345
         */
        AuditPort: number;
        /**
         * @description The protocol used to send the audit records: `TCP` to a listener at
         *     `audit_address`:`audit_port`, or `local` to a Unix stream socket at
         *     `audit_address`. For production systems, `TCP` is the only valid value.
         *
         * @enum {string}
         */
        AuditProtocol: "TCP" | "local";
        /**
         * @description Seconds between attempts to reconnect to the listener.
         * @default 1
         */
        AuditReconnectInterval: number;
        /**
         * @description The most attempts to reconnect to the listener; `0` means no limit.
         *
         * @default 0
         */
        AuditReconnectMaxAttempts: number;
        /**
         * @description The most audit data, in bytes, that may wait in the outgoing queue before
         *     new records are dropped. Added in Redis Software 8.2 (release notes
         *     `rs-8-2-0-25.md`, `security/audit-events.md`): older clusters neither
         *     return nor accept it, and refuse a `PUT` that sends it with
         *     `invalid_schema`, as they refuse any field they do not know.
         *
         * @default 524288
         */
        AuditQueueMaxBytes: number;
        /**
         * DbConnsAuditingConfig
         * @description The database connection auditing configuration as the cluster returns it
         *     (the `db_conns_auditing_config` object). Redis marks no field as required.
         *
         *     Unknown fields are tolerated: Redis Software 8.2 added
         *     `audit_queue_max_bytes`, and a later version may add more, so a client must
         *     not reject a response because it carries a field it does not know.
         *
         */
        DbConnsAuditingConfig: {
            audit_address?: components["schemas"]["AuditAddress"];
            audit_port?: components["schemas"]["AuditPort"];
            audit_protocol?: components["schemas"]["AuditProtocol"];
            audit_reconnect_interval?: components["schemas"]["AuditReconnectInterval"];
            audit_reconnect_max_attempts?: components["schemas"]["AuditReconnectMaxAttempts"];
            audit_queue_max_bytes?: components["schemas"]["AuditQueueMaxBytes"];
        };
        /**
         * ApiError
         * @description The JSON body of an error response. The endpoint's reference page names
         *     the fields `error_code` and `message`; other endpoint pages, Redis's own
         *     OpenAPI file and real server errors use `description` instead. This
         *     contract's decision: `error_code` is required, and both `message` and
         *     `description` are optional. A client shows whichever of them the server
         *     sent.
         *
         */
        ApiError: {
            /** @description A machine-readable code for the error, in snake_case. */
            error_code: string;
            /** @description A human-readable explanation, as the endpoint's reference page names it. */
            message?: string;
            /** @description A human-readable explanation, as real servers and other endpoint pages name it. */
            description?: string;
        };
        /**
         * @description `db_conns_auditing_unsupported_by_capability`: not all nodes of the
         *     cluster support the database connection auditing capability.
         *
         * @enum {string}
         */
        CapabilityErrorCode: "db_conns_auditing_unsupported_by_capability";
        /**
         * CapabilityUnsupportedError
         * @description Not all nodes support the capability. An `ApiError` whose `error_code` is one of `CapabilityErrorCode`.
         */
        CapabilityUnsupportedError: components["schemas"]["ApiError"] & {
            error_code: components["schemas"]["CapabilityErrorCode"];
        };
        /**
         * LocalProtocolWithPort
         * @description The combination the cluster refuses with `db_conns_auditing_bad_config`:
         *     `audit_port` with the `local` protocol, since a Unix socket has no port.
         *     No body has this shape: it is what the `not` rule of
         *     `DbConnsAuditingConfigUpdate` forbids. It is a named schema so that client
         *     generators name it instead of making an anonymous model of it.
         *
         */
        LocalProtocolWithPort: {
            /**
             * @description The `local` protocol.
             * @constant
             */
            audit_protocol: "local";
            /** @description Any port. */
            audit_port: unknown;
        };
        /**
         * DbConnsAuditingConfigUpdate
         * @description The fields of the database connection auditing configuration that a `PUT`
         *     changes: any subset of them (a partial update).
         *
         *     Stricter than the configuration the cluster returns: the cluster rejects
         *     extra fields, invalid enum values and negative sizes (`invalid_schema`), so
         *     unknown fields are not allowed here, and `audit_port` must not be sent
         *     with the `local` protocol (`db_conns_auditing_bad_config`).
         *
         */
        DbConnsAuditingConfigUpdate: {
            audit_address?: components["schemas"]["AuditAddress"];
            audit_port?: components["schemas"]["AuditPort"];
            audit_protocol?: components["schemas"]["AuditProtocol"];
            audit_reconnect_interval?: components["schemas"]["AuditReconnectInterval"];
            audit_reconnect_max_attempts?: components["schemas"]["AuditReconnectMaxAttempts"];
            audit_queue_max_bytes?: components["schemas"]["AuditQueueMaxBytes"];
        };
        /**
         * @description Why the cluster rejected a configuration (codes from the audit-events
         *     page):
         *     - `invalid_schema`: an extra field, an invalid enum value or a negative size;
         *     - `db_conns_auditing_bad_config`: fields that do not go together, such as `audit_port` with the `local` protocol;
         *     - `db_conns_auditing_missing_config`: a needed field is missing, such as the port of a `TCP` listener;
         *     - `db_conns_auditing_bad_address`: `audit_address` is not a usable address.
         *
         * @enum {string}
         */
        InvalidConfigErrorCode: "invalid_schema" | "db_conns_auditing_bad_config" | "db_conns_auditing_missing_config" | "db_conns_auditing_bad_address";
        /**
         * InvalidConfigError
         * @description The configuration sent was rejected. An `ApiError` whose `error_code` is one of `InvalidConfigErrorCode`.
         */
        InvalidConfigError: components["schemas"]["ApiError"] & {
            error_code: components["schemas"]["InvalidConfigErrorCode"];
        };
        /**
         * @description Why the cluster refused to delete the configuration:
         *     - `cannot_delete_audit_config_when_policy_enabled`: the cluster policy `db_conns_auditing` is enabled;
         *     - `cannot_delete_audit_config_when_bdb_enabled`: at least one database has connection auditing enabled.
         *
         * @enum {string}
         */
        DeleteRefusedErrorCode: "cannot_delete_audit_config_when_policy_enabled" | "cannot_delete_audit_config_when_bdb_enabled";
        /**
         * DeleteRefusedError
         * @description The configuration is still in use and cannot be deleted. An `ApiError` whose `error_code` is one of `DeleteRefusedErrorCode`.
         */
        DeleteRefusedError: components["schemas"]["ApiError"] & {
            error_code: components["schemas"]["DeleteRefusedErrorCode"];
        };
        /**
         * @description `db_conns_audit_config_not_found`: the cluster has no auditing
         *     configuration to delete.
         *
         * @enum {string}
         */
        ConfigNotFoundErrorCode: "db_conns_audit_config_not_found";
        /**
         * ConfigNotFoundError
         * @description There is no configuration to delete. An `ApiError` whose `error_code` is one of `ConfigNotFoundErrorCode`.
         */
        ConfigNotFoundError: components["schemas"]["ApiError"] & {
            error_code: components["schemas"]["ConfigNotFoundErrorCode"];
        };
        /**
         * ClusterPolicy
         * @description The cluster policy (`GET`/`PUT /v1/cluster/policy`), described only as far
         *     as it concerns auditing: a partial description. The cluster's policy has
         *     many other fields; an answer carries them and a `PUT` may send them, and
         *     this contract tolerates every one of them without describing it.
         *
         */
        ClusterPolicy: {
            /** @description Audit the connections of new databases by default (Redis docs,
             *     `objects/cluster_settings.md`). While it is `true` the cluster refuses
             *     `DELETE /v1/cluster/auditing/db_conns` with
             *     `cannot_delete_audit_config_when_policy_enabled`. Deprecated in Redis
             *     Software 8.2 for a database's `audit_settings` ("setting
             *     `db_conns_auditing` to `true` is equivalent to setting `audit_mode` to
             *     `connection`").
             *      */
            db_conns_auditing?: boolean;
        };
        /**
         * AuditMode
         * @description What the database audits:
         *     - `disabled`: nothing;
         *     - `connection`: connections, authentications and disconnections
         *       (`new_conn`, `auth`, `close_conn` records);
         *     - `connection_and_crud`: those, and the commands clients run (`command`
         *       records), as the filters let them through.
         *
         *     Turning auditing on before the cluster's auditing configuration exists is
         *     refused with `audit_settings_config_missing`.
         *
         * @default disabled
         * @enum {string}
         */
        AuditMode: "disabled" | "connection" | "connection_and_crud";
        /**
         * FilterType
         * @description `inclusive`: audit only what the list names; `exclusive`: audit all but
         *     what the list names.
         *
         * @default inclusive
         * @enum {string}
         */
        FilterType: "inclusive" | "exclusive";
        /**
         * UsernameFilter
         * @description Which users' commands are audited.
         */
        UsernameFilter: {
            /**
             * @description Filter by user name. When `true`, `usernames` must hold at least one
             *     name: an empty list is refused with `audit_settings_empty_filter_list`.
             *
             * @default false
             */
            enabled?: boolean;
            /** @description The user names the filter names: at most 512 (more is refused with
             *     `audit_settings_filter_list_too_large`), each 1 to 255 printable
             *     ASCII characters, none of `&`, `<`, `>` and `"` (refused with
             *     `invalid_schema`).
             *      */
            usernames?: string[];
            filter_type?: components["schemas"]["FilterType"];
            /**
             * @description Audit a connection's commands before its user name is known.
             * @default false
             */
            allow_while_username_unknown?: boolean;
        };
        /**
         * SourceIpFilter
         * @description Which client addresses' commands are audited. When `enabled`,
         *     `ip_addresses` and `cidr_ranges` hold at least one entry between them (an
         *     empty filter is refused with `audit_settings_empty_filter_list`), and at
         *     most 512 together (more is refused with
         *     `audit_settings_filter_list_too_large`).
         *
         */
        SourceIpFilter: {
            /**
             * @description Filter by the client's source address.
             * @default false
             */
            enabled?: boolean;
            /** @description Bare IPv4 or IPv6 addresses, without a prefix length (anything else is
             *     refused with `audit_settings_invalid_ip_address`).
             *      */
            ip_addresses?: string[];
            /** @description IPv4 or IPv6 ranges in CIDR notation, such as `10.0.0.0/24` (anything
             *     else is refused with `audit_settings_invalid_cidr_range`).
             *      */
            cidr_ranges?: string[];
            filter_type?: components["schemas"]["FilterType"];
        };
        /**
         * AuditSettings
         * @description What this database audits (Redis docs, `objects/bdb/audit_settings.md`).
         *     A `PUT` sends only the fields to change: they are merged into what is
         *     stored. The filters apply to CRUD (`command`) records only, and to new
         *     client connections only. Added in Redis Software 8.2: older clusters
         *     neither return nor accept it.
         *
         */
        AuditSettings: {
            audit_mode?: components["schemas"]["AuditMode"];
            username_filter?: components["schemas"]["UsernameFilter"];
            source_ip_filter?: components["schemas"]["SourceIpFilter"];
            /**
             * @description The most bytes of keys a `command` record lists.
             * @default 131072
             */
            max_total_key_bytes?: number;
        };
        /**
         * Database
         * @description A database (`GET`/`PUT /v1/bdbs/{uid}`, the `bdb` object), described only
         *     as far as it concerns auditing: a partial description. A database has many
         *     other fields; an answer carries them and a `PUT` may send them, and this
         *     contract tolerates every one of them without describing it.
         *
         */
        Database: {
            /** @description The database's unique ID. */
            uid?: number;
            /** @description The database's name. */
            name?: string;
            /** @description Audit this database's connections. Turning it on before the cluster's
             *     auditing configuration exists is refused with
             *     `db_conns_auditing_config_missing` (before 8.2) or
             *     `audit_settings_config_missing` (from 8.2). While any database has it
             *     on, the cluster refuses `DELETE /v1/cluster/auditing/db_conns` with
             *     `cannot_delete_audit_config_when_bdb_enabled`. Deprecated in Redis
             *     Software 8.2 for `audit_settings`: `true` is `audit_mode`
             *     `connection`; if both are sent, `audit_mode` wins.
             *      */
            db_conns_auditing?: boolean;
            audit_settings?: components["schemas"]["AuditSettings"];
        };
        /**
         * DatabaseUpdateErrorCode
         * @description Why the cluster refused a database update, as far as auditing goes:
         *     - `invalid_schema`: a field of the wrong type, an unknown value, a user
         *       name that breaks its rules, or `connection_and_crud` without connection
         *       auditing;
         *     - `db_conns_auditing_config_missing`: auditing turned on before the
         *       cluster's auditing configuration exists (before Redis Software 8.2: "Unable to
         *       enable DB Connections Auditing before feature configurations are set");
         *     - `audit_settings_config_missing`: the same, from 8.2;
         *     - `audit_settings_empty_filter_list`: a filter enabled with nothing in it;
         *     - `audit_settings_invalid_ip_address`: an entry of `ip_addresses` that is
         *       not a bare IPv4 or IPv6 address;
         *     - `audit_settings_invalid_cidr_range`: an entry of `cidr_ranges` that is
         *       not a range in CIDR notation;
         *     - `audit_settings_filter_list_too_large`: more than 512 entries in a filter.
         *
         * @enum {string}
         */
        DatabaseUpdateErrorCode: "invalid_schema" | "db_conns_auditing_config_missing" | "audit_settings_config_missing" | "audit_settings_empty_filter_list" | "audit_settings_invalid_ip_address" | "audit_settings_invalid_cidr_range" | "audit_settings_filter_list_too_large";
        /**
         * DatabaseUpdateError
         * @description The database update was refused. An `ApiError` whose `error_code` is one of `DatabaseUpdateErrorCode`.
         */
        DatabaseUpdateError: components["schemas"]["ApiError"] & {
            error_code: components["schemas"]["DatabaseUpdateErrorCode"];
        };
        /**
         * AuthorizeRequest
         * @description The optional body of `POST /v1/users/authorize`.
         */
        AuthorizeRequest: {
            /**
             * @description How many seconds the token lives.
             * @default 300
             */
            ttl?: number;
        };
        /**
         * AccessToken
         * @description A token for the user (JWT), to send as `Authorization: Bearer <token>`.
         */
        AccessToken: {
            /** @description The JSON Web Token. */
            access_token: string;
        };
        /**
         * ClusterSettings
         * @description The cluster object (`GET`/`PUT /v1/cluster`), described only as far as it
         *     concerns auditing's clients: a partial description. The cluster has many
         *     other fields; an answer carries them and a `PUT` may send them, and this
         *     contract tolerates every one of them without describing it.
         *
         */
        ClusterSettings: {
            /**
             * @description Whether the REST API takes HTTP Basic (and Digest) authentication
             *     (Redis docs, `security/access-control/disable-basic-authentication.md`).
             *     When `false`, every request with Basic credentials gets `401`, right
             *     or wrong, and clients use a bearer token from
             *     `POST /v1/users/authorize` or a client certificate. Added in Redis
             *     Software 8.2: older clusters neither return nor accept it.
             *
             * @default true
             */
            control_plane_basic_authentication?: boolean;
        };
        /** @description When the event happened: Unix time in seconds, UTC, to within one second
         *     (Redis docs, `security/audit-events.md`).
         *      */
        AuditTimestamp: number;
        /** @description The connection's ID, unique, assigned by the proxy (Redis docs). The
         *     records of one connection (`new_conn`, `auth`, `command`, `close_conn`)
         *     carry the same ID.
         *      */
        AuditConnectionId: number;
        /** @description The client's IP address (Redis docs). */
        AuditSourceIp: string;
        /** @description The client's port. A string, not a number: the Redis docs type it so and
         *     their examples send `"46252"`.
         *      */
        AuditSourcePort: string;
        /** @description The IP address of the database endpoint the client connected to (Redis docs). */
        AuditTargetIp: string;
        /** @description The port of the database endpoint. A string, not a number: the Redis docs
         *     type it so and their examples send `"12000"`.
         *      */
        AuditTargetPort: string;
        /** @description The client's hostname, if available. The Redis docs list it as currently
         *     empty and reserved for future use, and leave it out of their table of the
         *     fields each record type carries: this contract allows it on every record
         *     type and requires it on none.
         *      */
        AuditClientHostname: string;
        /** @description The database's name (Redis docs). */
        AuditDatabaseName: string;
        /** @description The database's unique ID in the cluster. A string, such as `"1"` (Redis
         *     docs).
         *      */
        AuditDatabaseUid: string;
        /**
         * AuditConnection
         * @description The connection a `new_conn`, `new_int_conn` or `close_conn` record is
         *     about, nested under that key (Redis docs, `security/audit-events.md`). Redis marks no field as
         *     required; none is here.
         *
         *     Unknown fields are tolerated: a newer cluster may add some.
         *
         */
        AuditConnection: {
            id?: components["schemas"]["AuditConnectionId"];
            srcip?: components["schemas"]["AuditSourceIp"];
            srcp?: components["schemas"]["AuditSourcePort"];
            trgip?: components["schemas"]["AuditTargetIp"];
            trgp?: components["schemas"]["AuditTargetPort"];
            hname?: components["schemas"]["AuditClientHostname"];
            bdb_name?: components["schemas"]["AuditDatabaseName"];
            bdb_uid?: components["schemas"]["AuditDatabaseUid"];
        };
        /** @description The ID of the proxy worker thread that produced the record, for debugging
         *     only (Redis docs). Every record type carries it from Redis Software 8.2
         *     (release notes `rs-8-2-0-25.md`); records of older clusters have none (the
         *     7.4 page), so this contract does not require it (its decision).
         *      */
        AuditWorkerId: number;
        /** @description The record's sequence number within its worker (`audit_worker_id`): a gap
         *     shows records that were dropped (Redis docs). Every record type carries
         *     it from Redis Software 8.2 (release notes `rs-8-2-0-25.md`); records of
         *     older clusters have none (the 7.4 page), so this contract does not require
         *     it (its decision).
         *      */
        AuditSeq: number;
        /**
         * NewConnRecord
         * @description Sent when a client connects to a database: the connection's fields are
         *     nested under `new_conn`, and the record has no `action` (Redis docs,
         *     `security/audit-events.md`).
         *
         *     Required here: `ts` and `new_conn`, the field that names the record type
         *     (this contract's decision; Redis marks no field as required). Unknown
         *     fields are tolerated: a newer cluster may add some.
         *
         */
        NewConnRecord: {
            ts: components["schemas"]["AuditTimestamp"];
            new_conn: components["schemas"]["AuditConnection"];
            audit_worker_id?: components["schemas"]["AuditWorkerId"];
            audit_seq?: components["schemas"]["AuditSeq"];
        };
        /**
         * NewIntConnRecord
         * @description Sent, before Redis Software 8.0.2, when an internal connection (one the
         *     cluster opens itself) connects to a database: the connection's fields are
         *     nested under `new_int_conn`, in the same shape as `new_conn`, and the
         *     record has no `action` (Redis docs, the 7.4 page of
         *     `security/audit-events.md`: "indicates a new internal connection").
         *     Redis Software 8.0.2 stopped sending it (release notes `rs-8-0-2-17.md`:
         *     "Internal connections no longer generate `new_int_conn` audit records").
         *     A listener that may meet an older cluster reads it.
         *
         *     Required here: `ts` and `new_int_conn`, the field that names the record
         *     type (this contract's decision; Redis marks no field as required).
         *     Unknown fields are tolerated.
         *
         */
        NewIntConnRecord: {
            ts: components["schemas"]["AuditTimestamp"];
            new_int_conn: components["schemas"]["AuditConnection"];
        };
        /**
         * CloseConnRecord
         * @description Sent when a client connection to a database closes: the connection's
         *     fields are nested under `close_conn`, and the record has no `action`
         *     (Redis docs, `security/audit-events.md`).
         *
         *     Required here: `ts` and `close_conn`, the field that names the record type
         *     (this contract's decision; Redis marks no field as required). Unknown
         *     fields are tolerated: a newer cluster may add some.
         *
         */
        CloseConnRecord: {
            ts: components["schemas"]["AuditTimestamp"];
            close_conn: components["schemas"]["AuditConnection"];
            audit_worker_id?: components["schemas"]["AuditWorkerId"];
            audit_seq?: components["schemas"]["AuditSeq"];
        };
        /**
         * AuthStatus
         * @description The result of an authentication request (Redis docs,
         *     `security/audit-events.md`, with the names they give):
         *
         *     - `0` AUTHENTICATION_FAILED: invalid username or password.
         *     - `1` AUTHENTICATION_FAILED_TOO_LONG: the username or password is too
         *       long. Documented before Redis Software 8.2 (the 7.4 page); the 8.2 page
         *       no longer lists it.
         *     - `2` AUTHENTICATION_NOT_REQUIRED: the client tried to authenticate, but
         *       authentication is not needed.
         *     - `3` AUTHENTICATION_DIRECTORY_PENDING: waiting for the directory's answer
         *       (asynchronous mode).
         *     - `4` AUTHENTICATION_DIRECTORY_ERROR: failed on a directory connection
         *       error.
         *     - `5` AUTHENTICATION_SYNCER_IN_PROGRESS: syncer SASL handshake, waiting for
         *       the next request.
         *     - `6` AUTHENTICATION_SYNCER_FAILED: syncer SASL handshake, connection
         *       closed.
         *     - `7` AUTHENTICATION_SYNCER_OK: the syncer authenticated.
         *     - `8` AUTHENTICATION_OK: the client authenticated.
         *     - `9` AUTHENTICATION_ENTRAID_ERROR: failed on an EntraID connection error.
         *     - `10` AUTHENTICATION_CBA_PENDING: certificate-based authentication
         *       pending, waiting for the external service.
         *
         *     A listener reads every value of every version it may meet: `1` is
         *     accepted from any cluster. That the 8.2 page dropping `1` means 8.2
         *     clusters no longer send it is this contract's reading (`x-removed-in`).
         *
         * @enum {integer}
         */
        AuthStatus: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10;
        /**
         * AuthRecord
         * @description Sent for an authentication request, on a new connection or an
         *     authorization check on an existing one: `"action": "auth"`, with the
         *     connection's fields at the top level (Redis docs,
         *     `security/audit-events.md`).
         *
         *     Required here: `ts` and `action`, the field that names the record type
         *     (this contract's decision; Redis marks no field as required). Unknown
         *     fields are tolerated: a newer cluster may add some.
         *
         */
        AuthRecord: {
            ts: components["schemas"]["AuditTimestamp"];
            /**
             * @description `auth`: the record of an authentication request (Redis docs).
             * @constant
             */
            action: "auth";
            id?: components["schemas"]["AuditConnectionId"];
            srcip?: components["schemas"]["AuditSourceIp"];
            srcp?: components["schemas"]["AuditSourcePort"];
            trgip?: components["schemas"]["AuditTargetIp"];
            trgp?: components["schemas"]["AuditTargetPort"];
            hname?: components["schemas"]["AuditClientHostname"];
            bdb_name?: components["schemas"]["AuditDatabaseName"];
            bdb_uid?: components["schemas"]["AuditDatabaseUid"];
            status?: components["schemas"]["AuthStatus"];
            /** @description The username the client authenticates as (Redis docs). */
            username?: string;
            /** @description The ID the proxy gave the user for this connection, such as `user:default` (Redis docs). */
            identity?: string;
            /** @description The ACL rules of the user, such as `allkeys +@all allchannels`. The
             *     name has a hyphen, not an underscore (Redis docs).
             *      */
            "acl-rules"?: string;
            /** @description The user's LDAP group; present only when the user has one (Redis docs). */
            group?: string;
            audit_worker_id?: components["schemas"]["AuditWorkerId"];
            audit_seq?: components["schemas"]["AuditSeq"];
        };
        /**
         * CommandStatus
         * @description Whether the command succeeded (Redis docs, `security/audit-events.md`):
         *     `9` it completed successfully, `10` it failed and `error` holds the error
         *     it returned. The names COMMAND_OK and COMMAND_FAILED are this contract's:
         *     Redis gives these codes no names.
         *
         * @enum {integer}
         */
        CommandStatus: 9 | 10;
        /**
         * CommandRecord
         * @description Sent for a database command (a CRUD request): `"action": "command"`, with
         *     the connection's fields at the top level. Only from Redis Software 8.2,
         *     for databases whose `audit_settings.audit_mode` is `connection_and_crud`.
         *     A record never holds the value of a key, only its name (Redis docs,
         *     `security/audit-events.md`).
         *
         *     Required here: `ts` and `action`, the field that names the record type
         *     (this contract's decision; Redis marks no field as required). Unknown
         *     fields are tolerated: a newer cluster may add some.
         *
         */
        CommandRecord: {
            ts: components["schemas"]["AuditTimestamp"];
            /**
             * @description `command`: the record of a database command (Redis docs).
             * @constant
             */
            action: "command";
            id?: components["schemas"]["AuditConnectionId"];
            srcip?: components["schemas"]["AuditSourceIp"];
            srcp?: components["schemas"]["AuditSourcePort"];
            trgip?: components["schemas"]["AuditTargetIp"];
            trgp?: components["schemas"]["AuditTargetPort"];
            hname?: components["schemas"]["AuditClientHostname"];
            bdb_name?: components["schemas"]["AuditDatabaseName"];
            bdb_uid?: components["schemas"]["AuditDatabaseUid"];
            status?: components["schemas"]["CommandStatus"];
            /** @description The command's name, such as `get` (Redis docs). */
            command?: string;
            /** @description The key or keys of the command; empty when none was captured (Redis docs). */
            keys?: string[];
            /** @description The size in bytes of all the command's keys, before any truncation (Redis docs). */
            full_key_size_bytes?: number;
            /** @description The size in bytes of the keys this record captured in `keys` (Redis docs). */
            captured_key_size_bytes?: number;
            /** @description How many keys the command names (Redis docs). */
            total_keys_count?: number;
            /** @description Whether `keys` was truncated (Redis docs). */
            key_truncated?: boolean;
            /** @description How many keys or elements the command affected, when that applies; `null` otherwise (Redis docs). */
            affected_count?: number | null;
            /** @description The error the command returned. Present only when it failed (`status`
             *     10) (Redis docs).
             *      */
            error?: string;
            /** @description Whether `error` was truncated. Present only when the command failed
             *     (`status` 10) (Redis docs).
             *      */
            error_truncated?: boolean;
            audit_worker_id?: components["schemas"]["AuditWorkerId"];
            audit_seq?: components["schemas"]["AuditSeq"];
        };
    };
    responses: {
        /** @description Success. The database connection auditing configuration. */
        DbConnsAuditingConfig: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["DbConnsAuditingConfig"];
            };
        };
        /** @description Missing or wrong credentials: no `Authorization` header or client
         *     certificate, a wrong password, or a wrong or expired bearer token (ask
         *     `POST /v1/users/authorize` for a new one). From Redis Software 8.2, on a
         *     cluster whose `control_plane_basic_authentication` is off, Basic
         *     credentials get this status even when they are right: use a bearer
         *     token or a client certificate.
         *
         *     Redis documents no body for this status: that it has the `ApiError`
         *     shape, and the example's `error_code` and wording, are this contract's
         *     decision.
         *      */
        Unauthorized: {
            headers: {
                "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                [name: string]: unknown;
            };
            content: {
                /** @example {
                 *       "error_code": "unauthorized",
                 *       "description": "Authentication failed: send the email (or name) and password of a cluster user with HTTP Basic authentication, a bearer token from POST /v1/users/authorize, or a client certificate the cluster trusts"
                 *     } */
                "application/json": components["schemas"]["ApiError"];
            };
        };
        /** @description The user's role does not hold the permission that the operation needs.
         *     Redis documents no body for this status: that it has the `ApiError`
         *     shape, and the example's `error_code` and wording, are this contract's
         *     decision.
         *      */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /** @example {
                 *       "error_code": "forbidden",
                 *       "description": "The user's role does not hold the permission this operation needs (view_cluster_info to read, update_cluster to change or delete)"
                 *     } */
                "application/json": components["schemas"]["ApiError"];
            };
        };
        /** @description Feature not supported for all nodes. */
        CapabilityUnsupported: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["CapabilityUnsupportedError"];
            };
        };
        /** @description Success. The whole database connection auditing configuration after the update. */
        DbConnsAuditingConfigUpdated: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["DbConnsAuditingConfig"];
            };
        };
        /** @description The configuration sent is invalid. The audit-events page lists these
         *     error codes without a status; the REST API overview gives 400 for a
         *     malformed request. That they come with 400 is this contract's decision.
         *      */
        InvalidConfig: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["InvalidConfigError"];
            };
        };
        /** @description The configuration is still in use: the cluster policy or a database still
         *     audits connections to it. The reference page lists these error codes but
         *     no Redis page gives their HTTP status, so this contract's decision is to
         *     declare them on the `default` response rather than invent a status.
         *      */
        DeleteRefused: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["DeleteRefusedError"];
            };
        };
        /** @description Configuration not found. */
        ConfigNotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ConfigNotFoundError"];
            };
        };
        /** @description The cluster policy; the fields this contract describes are those that concern auditing. */
        ClusterPolicy: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /** @example {
                 *       "db_conns_auditing": false
                 *     } */
                "application/json": components["schemas"]["ClusterPolicy"];
            };
        };
        /** @description The request was malformed: a field of the wrong type, one the cluster
         *     does not know, or a path parameter out of its range (a database `uid`
         *     below 1). Its body's `error_code` and wording are this contract's
         *     decision.
         *      */
        InvalidRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /** @example {
                 *       "error_code": "invalid_schema",
                 *       "description": "db_conns_auditing must be boolean"
                 *     } */
                "application/json": components["schemas"]["ApiError"];
            };
        };
        /** @description The database; the fields this contract describes are those that concern auditing. */
        Database: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Database"];
            };
        };
        /** @description No database has this uid. The Redis docs give the status; its body's
         *     `error_code` and wording are this contract's decision.
         *      */
        DatabaseNotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /** @example {
                 *       "error_code": "db_not_exist",
                 *       "description": "There is no database with uid 7"
                 *     } */
                "application/json": components["schemas"]["ApiError"];
            };
        };
        /** @description The update was refused. The codes are those of the Redis docs (8.2
         *     validation of `audit_settings`; `db_conns_auditing_config_missing` before
         *     8.2); the docs give no status for them, and that they come with 400 is
         *     this contract's decision, as for the auditing configuration's codes.
         *      */
        DatabaseUpdateRefused: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["DatabaseUpdateError"];
            };
        };
        /** @description A token for the user. */
        Authorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /** @example {
                 *       "access_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZG1pbkBleGFtcGxlLmNvbSJ9.c2lnbmF0dXJl"
                 *     } */
                "application/json": components["schemas"]["AccessToken"];
            };
        };
        /** @description Wrong credentials, or a password that has expired (`password_expired`,
         *     the code the Redis docs give: the user must set a new password first).
         *     The docs give the statuses 200, 400 and 401 and the code; that
         *     `password_expired` comes with 401 is this contract's decision.
         *      */
        AuthorizeRefused: {
            headers: {
                "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ApiError"];
            };
        };
        /** @description The cluster; the fields this contract describes are those that concern auditing's clients. */
        ClusterSettings: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /** @example {
                 *       "control_plane_basic_authentication": true
                 *     } */
                "application/json": components["schemas"]["ClusterSettings"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: {
        /**
         * @description The authentication scheme the cluster asks for (HTTP Basic in the example).
         * @example Basic realm="Redis Software REST API"
         */
        "WWW-Authenticate": string;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getDbConnsAuditingConfig: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["DbConnsAuditingConfig"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            406: components["responses"]["CapabilityUnsupported"];
        };
    };
    updateDbConnsAuditingConfig: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The fields of the configuration to change. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["DbConnsAuditingConfigUpdate"];
            };
        };
        responses: {
            200: components["responses"]["DbConnsAuditingConfigUpdated"];
            400: components["responses"]["InvalidConfig"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            406: components["responses"]["CapabilityUnsupported"];
        };
    };
    deleteDbConnsAuditingConfig: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. The settings were reset; the response has no body. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["ConfigNotFound"];
            406: components["responses"]["CapabilityUnsupported"];
            default: components["responses"]["DeleteRefused"];
        };
    };
    getClusterPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["ClusterPolicy"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
        };
    };
    updateClusterPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The fields of the policy to change. */
        requestBody: {
            content: {
                /** @example {
                 *       "db_conns_auditing": true
                 *     } */
                "application/json": components["schemas"]["ClusterPolicy"];
            };
        };
        responses: {
            /** @description Success. The policy was updated; the response has no body. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
        };
    };
    getDatabase: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The database's unique ID. */
                uid: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Database"];
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["DatabaseNotFound"];
        };
    };
    updateDatabase: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The database's unique ID. */
                uid: number;
            };
            cookie?: never;
        };
        /** @description The fields of the database to change. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["Database"];
            };
        };
        responses: {
            200: components["responses"]["Database"];
            400: components["responses"]["DatabaseUpdateRefused"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["DatabaseNotFound"];
        };
    };
    authorize: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description How long the token lives. */
        requestBody?: {
            content: {
                /** @example {
                 *       "ttl": 3600
                 *     } */
                "application/json": components["schemas"]["AuthorizeRequest"];
            };
        };
        responses: {
            200: components["responses"]["Authorized"];
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["AuthorizeRefused"];
        };
    };
    getCluster: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["ClusterSettings"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
        };
    };
    updateCluster: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The fields of the cluster to change. */
        requestBody: {
            content: {
                /** @example {
                 *       "control_plane_basic_authentication": false
                 *     } */
                "application/json": components["schemas"]["ClusterSettings"];
            };
        };
        responses: {
            200: components["responses"]["ClusterSettings"];
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
        };
    };
}
