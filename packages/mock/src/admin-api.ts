// Generated from admin.openapi.yaml by scripts/build.ts: do not edit.
export interface paths {
    "/__mock/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reset the whole mock
         * @description The configuration goes back to the reference page's example; the scenario, the faults
         *     and the request log are cleared; the audit connection is closed, its metrics are back
         *     at 0 and `audit_seq` starts from 0 again.
         *
         */
        post: operations["resetMock"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/__mock/scenario": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read the scenario */
        get: operations["getScenario"];
        /**
         * Change the scenario
         * @description Sets the fields given; a field left out keeps its value. Answers the whole scenario.
         */
        put: operations["updateScenario"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/__mock/faults": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read the faults */
        get: operations["getFaults"];
        /**
         * Set the faults
         * @description Sets the fields given; a field left out keeps its value. They apply to the contract's
         *     paths only. `fail` and `reset_connection` count down with each request they take; a
         *     reset connection comes first. `latency_ms` delays every answer until it is set to 0.
         *     Answers the whole set of faults, with what is left of each count.
         *
         */
        put: operations["updateFaults"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/__mock/requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What the mock saw
         * @description One entry per request to the contract's paths, oldest first.
         */
        get: operations["listRequests"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/__mock/audit/connections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Simulate database connections
         * @description Makes `count` simulated database connections. Each sends its records to the listener
         *     the stored configuration names: `new_conn`, `auth`, `commands` command records (none
         *     after a failed authentication), then `close_conn`, with `audit_seq` counting up; or,
         *     with `internal`, a `new_int_conn` record each. Each record is as a cluster of the
         *     version the scenario plays (`redis_version`) sends it: the contract's AsyncAPI document
         *     says which versions send each record type and field (`x-introduced-in`,
         *     `x-removed-in`), so before 8.2 there are no command records and no `audit_worker_id`
         *     or `audit_seq`, and from 8.0.2 no `new_int_conn`. The
         *     mock connects to that listener once a PUT stores it (TCP address and port, or with
         *     `local` a Unix socket path), only on loopback unless started with `--audit-any-host`;
         *     each record is followed by a newline (this mock's decision: the Redis docs do not say
         *     how records are separated). Records with nowhere to go are dropped, and counted.
         *
         */
        post: operations["simulateConnections"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/__mock/databases": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the databases
         * @description The cluster's databases, as `GET /v1/bdbs/{uid}` answers each on the newest version.
         */
        get: operations["listDatabases"];
        put?: never;
        /**
         * Add a database
         * @description Adds a database to the cluster, auditing nothing (as a new database does). The mock
         *     starts, and is reset, with one: uid 1, `mock-db`. A uid already taken is refused with
         *     a 400 naming the field.
         *
         */
        post: operations["addDatabase"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/__mock/audit/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The audit sink's metrics
         * @description The metrics the Redis docs list for the audit sink, by their names, and where the records go.
         */
        get: operations["getAuditStats"];
        put?: never;
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
        /** @description The connections to simulate. */
        ConnectionsRequest: {
            /**
             * @description How many connections.
             * @default 1
             */
            count?: number;
            /**
             * @description The user each authenticates as.
             * @default default
             */
            username?: string;
            /**
             * @description Whether the authentication succeeds (status 8) or fails (status 0).
             * @default ok
             * @enum {string}
             */
            auth?: "ok" | "failed";
            /**
             * @description Commands each runs after a successful authentication. A cluster before Redis Software
             *     8.2 sends no command records (`CommandRecord`'s `x-introduced-in`).
             *
             * @default 1
             */
            commands?: number;
            /**
             * @description The uid of the database the connections are made to (`GET /v1/bdbs/{uid}`); a uid
             *     the mock does not have is refused with a 400 naming this field. The records follow
             *     that database's settings: with `audit_mode` `disabled` (the default of a new
             *     database) none are made, and the answer's `skipped` says why; `connection` makes
             *     the connection, auth and close records; `connection_and_crud` adds the command
             *     records the filters let through. Before 8.2 a database with `db_conns_auditing`
             *     true makes connection records.
             *
             * @default 1
             */
            database?: number;
            /**
             * @description The address each client connects from (`srcip`), which the database's
             *     `source_ip_filter` reads. Must be an IPv4 or IPv6 address.
             *
             * @default 127.0.0.1
             */
            source_ip?: string;
            /**
             * @description The connections are internal ones, the cluster's own: before Redis Software 8.0.2 each
             *     sends one `new_int_conn` record (the 7.4 docs page); from 8.0.2 none (release notes
             *     `rs-8-0-2-17.md`: "Internal connections no longer generate `new_int_conn` audit
             *     records"). Which versions send it is `NewIntConnRecord`'s `x-introduced-in` and
             *     `x-removed-in`. That an internal connection sends no other record (no `auth`, no
             *     `close_conn`) is this mock's decision: the docs name only `new_int_conn` for them.
             *
             * @default false
             */
            internal?: boolean;
        };
        NewDatabase: {
            /** @description Its unique ID, not taken by another database. */
            uid: number;
            /** @description Its name, which its records carry (`bdb_name`). */
            name: string;
        };
        /** @description A database as `GET /v1/bdbs/{uid}` answers it (the contract's `Database`). */
        MockDatabase: {
            uid: number;
            name: string;
            db_conns_auditing: boolean;
            /** @description The contract's `AuditSettings`, every field with its value. */
            audit_settings: Record<string, never>;
        };
        /** @description The audit sink's metrics (Redis docs, security/audit-events.md), and the destination. */
        AuditStats: {
            /** @description Where records go, as the stored configuration says; null when none is stored since the last DELETE or reset. */
            destination: null | {
                /**
                 * @description TCP, or a Unix stream socket.
                 * @enum {string}
                 */
                protocol: "TCP" | "local";
                /** @description The listener's address, or the socket's path. */
                address: string;
                /** @description The listener's port (TCP). */
                port?: number;
                /** @description Whether the connection to the listener is up. */
                connected: boolean;
                /** @description Why the mock does not connect there, when it does not. */
                refused?: string;
                /** @description From audit_reconnect_interval. */
                reconnectIntervalSeconds?: number;
                /** @description From audit_reconnect_max_attempts. */
                reconnectMaxAttempts?: number;
                /** @description From audit_queue_max_bytes. */
                queueMaxBytes?: number;
            };
        } & {
            [key: string]: number;
        };
        /** @description The state of the cluster the mock plays, beyond its configuration. */
        Scenario: {
            /** @description The Redis Software version the mock plays, as given (such as `7.4` or `8.0.2`); the
             *     newest the contract documents unless the mock was started with another
             *     (`--redis-version`, `redisVersion`). It answers as a cluster of that version: a
             *     field newer than the version is refused with `invalid_schema`, answers leave such
             *     fields out, records are the version's, Basic cannot be turned off before 8.2, and
             *     before 6.2.18 the contract's path answers 404. Every one of these comes from the
             *     contract's `x-introduced-in` and `x-removed-in` annotations. A version that is not
             *     MAJOR.MINOR[.PATCH], or newer than the newest documented release line, is refused
             *     with a 400 naming the versions the mock knows.
             *      */
            redis_version: string;
            /** @description The cluster policy `db_conns_auditing` (audit connections of new databases) is on:
             *     DELETE is refused with `cannot_delete_audit_config_when_policy_enabled`, and the
             *     configuration stays. No Redis page gives the status of that refusal: this mock's
             *     decision is 409.
             *      */
            cluster_policy: boolean;
            /** @description A database audits its connections: DELETE is refused with
             *     `cannot_delete_audit_config_when_bdb_enabled` (409, this mock's decision), and the
             *     configuration stays.
             *      */
            database_auditing: boolean;
            /** @description Every node supports connection auditing. False plays a mixed-version cluster: every
             *     operation answers 406 `db_conns_auditing_unsupported_by_capability`.
             *      */
            capability: boolean;
            /** @description The cluster takes HTTP Basic (`control_plane_basic_authentication`, Redis Software
             *     8.2): the same state as that field of `GET`/`PUT /v1/cluster`. False: a Basic request
             *     gets 401 (but on `POST /v1/users/authorize`, as the contract decides), and a bearer
             *     token still gets in. Refused (400) while the mock plays a version before the one that
             *     setting appeared in.
             *      */
            basic_auth: boolean;
        };
        /** @description The fields of the scenario to change. */
        ScenarioUpdate: {
            /** @description See `Scenario`. */
            cluster_policy?: boolean;
            /** @description See `Scenario`. */
            database_auditing?: boolean;
            /** @description See `Scenario`. */
            capability?: boolean;
            /** @description See `Scenario`. */
            basic_auth?: boolean;
            /**
             * @description See `Scenario`.
             * @example 7.4
             */
            redis_version?: string;
        };
        /** @description The faults in force, with what is left of each count. */
        Faults: {
            /** @description Each answer of the contract's paths waits this long; 0 is none. */
            latency_ms: number;
            fail: components["schemas"]["Fail"];
            reset_connection: components["schemas"]["ResetConnection"];
        };
        /** @description The faults to set. */
        FaultsUpdate: {
            /** @description Each answer of the contract's paths waits this long, until it is set to 0. */
            latency_ms?: number;
            fail?: components["schemas"]["Fail"];
            reset_connection?: components["schemas"]["ResetConnection"];
        };
        /** @description The next `count` requests get `status`, with Retry-After when `retry_after` is given. */
        Fail: {
            /** @description A server error, or 429 Too Many Requests. */
            status: number | 429;
            /** @description How many requests; 0 clears it. */
            count: number;
            /** @description Seconds, sent as the Retry-After header. */
            retry_after?: number;
        };
        /** @description The next `count` requests get no answer at all; their connection is reset. */
        ResetConnection: {
            /** @description How many requests; 0 clears it. */
            count: number;
        };
        /** @description One request to the contract's paths, as the mock answered it. */
        Exchange: {
            /** @description The HTTP method. */
            method: string;
            /** @description The path, with its query. */
            path: string;
            /** @description The status answered; 0 for a connection the mock reset. */
            status: number;
            /**
             * Format: date-time
             * @description When the request came.
             */
            time: string;
            /**
             * @description The fault that answered it, when one did.
             * @enum {string}
             */
            fault?: "fail" | "reset_connection";
            /** @description The contract's operation it matched, by operationId. */
            operation?: string;
            /** @description The contract's named example it was answered with, when it was one. */
            example?: string;
            /** @description What broke the contract, in the request or in the answer. */
            violations: components["schemas"]["Violation"][];
        };
        /** @description One rule of the contract broken. */
        Violation: {
            /** @description Where, such as `request.body.audit_port`. */
            where: string;
            /** @description The rule, in words. */
            what: string;
            /**
             * @description How bad.
             * @enum {string}
             */
            severity: "error" | "warning";
        };
        /** @description The contract's error shape. */
        Error: {
            /** @description Always `invalid_schema` for a request this document does not allow. */
            error_code: string;
            /** @description The field and the rule it broke. */
            description: string;
        };
    };
    responses: {
        /** @description The whole scenario. */
        Scenario: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /** @example {
                 *       "cluster_policy": false,
                 *       "database_auditing": false,
                 *       "capability": true,
                 *       "basic_auth": true,
                 *       "redis_version": "8.2"
                 *     } */
                "application/json": components["schemas"]["Scenario"];
            };
        };
        /** @description The whole set of faults. */
        Faults: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /** @example {
                 *       "latency_ms": 0,
                 *       "fail": {
                 *         "status": 503,
                 *         "count": 0
                 *       },
                 *       "reset_connection": {
                 *         "count": 0
                 *       }
                 *     } */
                "application/json": components["schemas"]["Faults"];
            };
        };
        /** @description The request is not one this document allows; nothing changed. */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /** @example {
                 *       "error_code": "invalid_schema",
                 *       "description": "latency_ms must be >= 0"
                 *     } */
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    resetMock: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Reset. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getScenario: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Scenario"];
        };
    };
    updateScenario: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ScenarioUpdate"];
            };
        };
        responses: {
            200: components["responses"]["Scenario"];
            400: components["responses"]["BadRequest"];
        };
    };
    getFaults: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Faults"];
        };
    };
    updateFaults: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FaultsUpdate"];
            };
        };
        responses: {
            200: components["responses"]["Faults"];
            400: components["responses"]["BadRequest"];
        };
    };
    listRequests: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request log. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Exchange"][];
                };
            };
        };
    };
    simulateConnections: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ConnectionsRequest"];
            };
        };
        responses: {
            /** @description The records were handed to the sender. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description How many connections were simulated. */
                        connections: number;
                        /** @description How many records they made. */
                        records: number;
                        stats: components["schemas"]["AuditStats"];
                        /** @description Why no record was made, when none was: the database audits nothing
                         *     (`audit_mode` `disabled`, or before 8.2 `db_conns_auditing` false). Absent
                         *     when the connections made records.
                         *      */
                        skipped?: string;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
        };
    };
    listDatabases: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The databases, by uid. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MockDatabase"][];
                };
            };
        };
    };
    addDatabase: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewDatabase"];
            };
        };
        responses: {
            /** @description The database added. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MockDatabase"];
                };
            };
            400: components["responses"]["BadRequest"];
        };
    };
    getAuditStats: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The metrics. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditStats"];
                };
            };
        };
    };
}
