/**
 * The mock package's bin, `redis-auditing-mock`, as a user or a harness runs it (`npm run mock`
 * runs the same bin): one real process serving the spec with Prism in it, its banner and one log
 * line per request for people, one JSON line per exchange for programs (--json), the docs page, a one-line error on a busy port or a bad option, a stop however it
 * is stopped (each signal, to npm itself or to the bin started straight under Node, and npm
 * killed outright) with nothing left running and the port free, a restart that starts from the
 * page's example again, and --stateless.
 */
import { basicAuth } from '../../src/index.ts';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import getPort from 'get-port';
import { once } from 'node:events';
import { describe, it } from 'vitest';
import { PAGE_EXAMPLE } from '../support/servers.ts';
import {
  MOCK_AUTH,
  MOCK_BIN,
  eventually,
  listening,
  processTree,
  running,
  startMockProcess as startMock,
  type Launch,
} from '../support/mock.ts';
import { start } from '../support/run.ts';

const auth = { authorization: MOCK_AUTH };
/** "A couple of seconds" on a quiet machine; roomier here, where five suites share two cores. */
const STOP_BOUND_MS = 10_000;

const put = (endpoint: string, body: unknown) =>
  fetch(endpoint, { method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });

// Each test starts processes of its own, on ports of their own: they run side by side, each
// checking with its own `expect`.
describe.concurrent('npm run mock', () => {
  it('serves the page example, keeps what it is told, and with --json says where it listens and each exchange in JSON', async ({
    expect,
  }) => {
    const mock = await startMock();
    try {
      expect(mock.docs).toBe(`${mock.url}/docs`);
      const get = await fetch(mock.endpoint, { headers: auth });
      expect(get.status).toBe(200);
      expect(await get.json()).toStrictEqual(PAGE_EXAMPLE);
      expect((await put(mock.endpoint, { audit_port: 'x' })).status).toBe(400);
      expect((await put(mock.endpoint, { audit_port: 12346 })).status).toBe(200);
      expect(await (await fetch(mock.endpoint, { headers: auth })).json()).toStrictEqual({ ...PAGE_EXAMPLE, audit_port: 12346 });
      expect(await eventually(() => mock.exchanges().length === 4, 5000)).toBe(true);
      expect(
        mock.exchanges().map(({ method, path, status, violations }) => [method, path, status, violations.map((v) => v.where)]),
      ).toEqual([
        ['GET', '/v1/cluster/auditing/db_conns', 200, []],
        ['PUT', '/v1/cluster/auditing/db_conns', 400, ['request.body.audit_port']],
        ['PUT', '/v1/cluster/auditing/db_conns', 200, []],
        ['GET', '/v1/cluster/auditing/db_conns', 200, []],
      ]);
    } finally {
      await mock.stop();
    }
  });

  describe('stops however it is stopped, with nothing left running and the port free', () => {
    const ways: [Launch, NodeJS.Signals][] = [
      // Ctrl-C reaches npm; npm killed outright tells nothing to anything under it.
      ['npm run mock', 'SIGINT'],
      ['npm run mock', 'SIGKILL'],
      ['redis-auditing-mock', 'SIGINT'],
      ['redis-auditing-mock', 'SIGTERM'],
      ['redis-auditing-mock', 'SIGHUP'],
    ];
    it.for(ways)('%s, sent %s', { timeout: 90_000 }, async ([launch, signal], { expect }) => {
      const mock = await startMock({ launch });
      const tree = processTree(mock.pid);
      try {
        // npm and Node (the script's shell `exec`s it), or Node alone: Prism runs inside it.
        expect(tree.map((p) => p.args)).toEqual([
          ...(launch === 'npm run mock' ? [expect.stringMatching(/^npm/)] : []),
          expect.stringContaining('packages/mock/dist/cli.js'),
        ]);
        process.kill(mock.pid, signal); // the process that was started, not its group
        expect(await eventually(async () => tree.every((p) => !running(p.pid)) && !(await listening(mock.port)), STOP_BOUND_MS)).toBe(true);
      } finally {
        for (const p of tree) if (running(p.pid)) process.kill(p.pid, 'SIGKILL');
      }
      if (launch === 'redis-auditing-mock') expect((await mock.exited)[0]).toBe(0);
    });
  });

  it('takes its user, password and token from MOCK_USER, MOCK_PASSWORD and MOCK_TOKEN, prints no password, and logs a line per request and per violation', async ({
    expect,
  }) => {
    const env = { MOCK_USER: 'ops@example.com', MOCK_PASSWORD: 'chosen-password', MOCK_TOKEN: 'chosen-token' };
    const port = await getPort({ host: '127.0.0.1' });
    const url = `http://127.0.0.1:${port}`;
    const mock = start(process.execPath, [MOCK_BIN, '--port', String(port)], { env });
    try {
      // The banner, for people: where it serves, its docs, and a command to try.
      await mock.waitFor(`Try: curl -u ops@example.com:… ${url}`);
      expect(mock.stdout()).toContain(`Mock of /v1/cluster/auditing/db_conns serving on ${url} (Ctrl-C stops it)`);
      expect(mock.stdout()).toContain(`Docs: ${url}/docs\n`);
      const status = async (authorization: string) =>
        (await fetch(`${url}/v1/cluster/auditing/db_conns`, { headers: { authorization } })).status;
      expect(await status(basicAuth('ops@example.com', 'chosen-password'))).toBe(200);
      expect(await status('Bearer chosen-token')).toBe(200);
      expect(await status(MOCK_AUTH)).toBe(401);
      expect(await status('Bearer mock-token')).toBe(401);
      const body = JSON.stringify({ audit_port: 'x' });
      const refused = await fetch(`${url}/v1/cluster/auditing/db_conns`, {
        method: 'PUT',
        headers: { authorization: 'Bearer chosen-token', 'content-type': 'application/json' },
        body,
      });
      expect(refused.status).toBe(400);
      await mock.waitFor('must be integer\n');
      expect(
        mock
          .stdout()
          .split('\n')
          .filter((line) => / -> \d{3}$/.test(line) || line.startsWith('  violation: ')),
      ).toEqual([
        'GET /v1/cluster/auditing/db_conns -> 200',
        'GET /v1/cluster/auditing/db_conns -> 200',
        'GET /v1/cluster/auditing/db_conns -> 401',
        'GET /v1/cluster/auditing/db_conns -> 401',
        'PUT /v1/cluster/auditing/db_conns -> 400',
        '  violation: request.body.audit_port Request body property audit_port must be integer',
      ]);
      expect(mock.output()).not.toContain('chosen-password');
    } finally {
      mock.child.kill('SIGTERM');
      await mock.exited;
    }
  });

  it('--report and --junit write, on stop, every exchange with its violations and the coverage, as JSON and as JUnit', async ({
    expect,
  }) => {
    const dir = mkdtempSync(join(tmpdir(), 'mock-report-'));
    try {
      const [report, junit] = [join(dir, 'report.json'), join(dir, 'junit.xml')];
      const mock = await startMock({ launch: 'redis-auditing-mock', args: ['--report', report, '--junit', junit] });
      await fetch(mock.endpoint, { headers: auth });
      await put(mock.endpoint, { audit_port: 'x' });
      await fetch(mock.endpoint, {
        method: 'DELETE',
        headers: { ...auth, prefer: 'code=409, example=cannot_delete_audit_config_when_bdb_enabled' },
      });
      await mock.stop();
      const written = JSON.parse(readFileSync(report, 'utf8'));
      expect(written.exchanges.map((e: { method: string; status: number }) => [e.method, e.status])).toEqual([
        ['GET', 200],
        ['PUT', 400],
        ['DELETE', 409],
      ]);
      expect(written.violations).toBe(1);
      expect(written.coverage.getDbConnsAuditingConfig.statuses).toMatchObject({ 200: 1, 401: 0, 406: 0 });
      expect(written.coverage.updateDbConnsAuditingConfig.statuses).toMatchObject({ 200: 0, 400: 1 });
      expect(written.coverage.deleteDbConnsAuditingConfig.statuses).toMatchObject({ 200: 0, default: 1 });
      expect(written.coverage.deleteDbConnsAuditingConfig.examples).toMatchObject({ cannot_delete_audit_config_when_bdb_enabled: 1 });
      const xml = readFileSync(junit, 'utf8');
      expect(XMLValidator.validate(xml)).toBe(true);
      const suites = new XMLParser({ ignoreAttributes: false }).parse(xml).testsuites;
      expect([suites['@_tests'], suites['@_failures']]).toEqual(['3', '1']);
      expect(xml).toContain('<failure message="Request body property audit_port must be integer"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // The mock and verify share one server factory, and give a port in use one answer.
  it.for([
    ['redis-auditing-mock', []],
    ['redis-auditing-mock verify', ['verify', 'http://127.0.0.1:9']],
  ] as const)('%s says in one line, exit status 2, that the port is in use, without a stack trace', async ([command, args], { expect }) => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as { port: number };
    try {
      const mock = start(process.execPath, [MOCK_BIN, ...args, '--port', String(port)]);
      const [code] = await mock.exited;
      expect(code).toBe(2);
      expect(mock.stderr().trim().split('\n')).toEqual([
        `${command}: port ${port} on 127.0.0.1 is already in use; stop what uses it or choose another with --port ${port + 1}`,
      ]);
    } finally {
      blocker.close();
    }
  });

  it.for([
    [{ PORT: '70000' }, [], 'PORT must be a whole number from 0 to 65535, got "70000"'],
    [{}, ['--port', 'x'], '--port must be a whole number from 0 to 65535, got "x"'],
    [{}, ['--statless'], "Unknown option '--statless'"],
    [{}, ['verify'], "give the cluster's address"],
  ] as const)('refuses %j %j with exit status 2, in one line', async ([env, args, message], { expect }) => {
    const mock = start(process.execPath, [MOCK_BIN, ...args], { env });
    const [code] = await mock.exited;
    expect(code).toBe(2);
    expect(mock.stderr().trim().split('\n')).toEqual([expect.stringContaining(message)]);
  });

  it('explains itself with --help, and exits 0', async ({ expect }) => {
    const mock = start(process.execPath, [MOCK_BIN, '--help']);
    const [code] = await mock.exited;
    expect(code).toBe(0);
    for (const text of ['Usage: redis-auditing-mock', '--port N', '--host ADDRESS', '--stateless', '/docs', 'Exit status'])
      expect(mock.stdout()).toContain(text);
  });

  it('--port and --host choose where it listens, over PORT and HOST; --stateless says so', async ({ expect }) => {
    const port = await getPort({ host: '127.0.0.2' });
    const byEnv = start(process.execPath, [MOCK_BIN], { env: { PORT: String(port), HOST: '127.0.0.2' } });
    const byOption = start(process.execPath, [MOCK_BIN, '--port', String(port), '--host', '127.0.0.1', '--stateless'], {
      env: { PORT: '1', HOST: '::1' },
    });
    try {
      await byEnv.waitFor(`serving on http://127.0.0.2:${port} `);
      await byOption.waitFor(`serving on http://127.0.0.1:${port} `);
      await byOption.waitFor('Stateless: every answer is an example from the spec.');
      expect((await fetch(`http://127.0.0.2:${port}/v1/cluster/auditing/db_conns`, { headers: auth })).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/v1/cluster/auditing/db_conns`, { headers: auth })).status).toBe(200);
    } finally {
      for (const mock of [byEnv, byOption]) mock.child.kill('SIGTERM');
      await Promise.all([byEnv.exited, byOption.exited]);
    }
  });
});
