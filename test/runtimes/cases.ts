/**
 * The client's round trip on a runtime other than Node, written once for each of them: Deno runs
 * these cases through deno.test.ts, Bun through bun.test.ts. test/runtimes/run.ts copies the
 * three files into a fresh project that installed the packed tarball, so the package is imported
 * by its name, as a user imports it, and points them at a mock of their own (the packed mock's
 * bin, started by the harness under Node).
 *
 * The cases run in order, on one mock: the first finds the reference page's example, the second
 * stores a port, and so on to the second reset, which finds nothing to reset. They use only what
 * both runtimes have: `fetch`, `node:assert`, `node:fs` and `import.meta.resolve`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AuditingApiError, AuditingValidationError, createAuditingClient, isAuditingApiError } from 'redis-software-auditing-db-conns';

/** The mock the harness started for this runtime, and its one user. */
export interface MockTarget {
  url: string;
  username: string;
  password: string;
}

export interface RuntimeCase {
  name: string;
  run: (mock: MockTarget) => Promise<void>;
}

const PACKAGE = 'redis-software-auditing-db-conns';
const PATH = '/v1/cluster/auditing/db_conns';

/** The reference page's example: the first example of GET's 200 answer, in the spec the package ships. */
function pageExample(): Record<string, unknown> {
  const spec = JSON.parse(readFileSync(fileURLToPath(import.meta.resolve(`${PACKAGE}/openapi.deref.json`)), 'utf8'));
  const examples = spec.paths[PATH].get.responses['200'].content['application/json'].examples;
  return (Object.values(examples)[0] as { value: Record<string, unknown> }).value;
}

const clientOf = (mock: MockTarget) => createAuditingClient({ baseUrl: mock.url, username: mock.username, password: mock.password });

/** What the mock saw of the contract's path, oldest first (its admin API, `GET /__mock/requests`). */
async function requestsSeen(mock: MockTarget): Promise<{ method: string; path: string; status: number }[]> {
  const response = await fetch(`${mock.url}/__mock/requests`);
  assert.equal(response.status, 200);
  return response.json();
}

/** What a call rejected with; undefined when it resolved. */
const rejection = (call: Promise<unknown>): Promise<unknown> =>
  call.then(
    () => undefined,
    (caught: unknown) => caught,
  );

export const cases: RuntimeCase[] = [
  {
    name: "get answers the reference page's example",
    async run(mock) {
      assert.deepEqual(await clientOf(mock).get(), pageExample());
    },
  },
  {
    name: 'update stores the new port, and get reads it back',
    async run(mock) {
      const auditing = clientOf(mock);
      const expected = { ...pageExample(), audit_port: 12346 };
      assert.deepEqual(await auditing.update({ audit_port: 12346 }), expected);
      assert.deepEqual(await auditing.get(), expected);
    },
  },
  {
    name: 'an update with a string port throws AuditingValidationError, naming audit_port and type, and sends nothing',
    async run(mock) {
      const before = await requestsSeen(mock);
      const update = clientOf(mock).update({
        // @ts-expect-error a string port: the types refuse it, and so does the client when it is sent anyway
        audit_port: 'x',
      });
      const error = await rejection(update);
      assert.ok(error instanceof AuditingValidationError, `not an AuditingValidationError: ${error}`);
      assert.deepEqual(
        error.problems.map(({ field, rule }) => ({ field, rule })),
        [{ field: 'audit_port', rule: 'type' }],
      );
      assert.deepEqual(await requestsSeen(mock), before);
    },
  },
  {
    name: 'reset gets 200 and resolves with nothing',
    async run(mock) {
      assert.equal(await clientOf(mock).reset(), undefined);
      const { method, path, status } = (await requestsSeen(mock)).at(-1) ?? {};
      assert.deepEqual({ method, path, status }, { method: 'DELETE', path: PATH, status: 200 });
    },
  },
  {
    name: 'a second reset gets the documented 404, db_conns_audit_config_not_found',
    async run(mock) {
      const error = await rejection(clientOf(mock).reset());
      assert.ok(error instanceof AuditingApiError, `not an AuditingApiError: ${error}`);
      assert.ok(isAuditingApiError(error, 'deleteDbConnsAuditingConfig'));
      assert.equal(error.status, 404);
      assert.equal(error.errorCode, 'db_conns_audit_config_not_found');
    },
  },
];
