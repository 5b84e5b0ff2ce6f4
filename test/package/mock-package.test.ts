/**
 * The mock package as users get it: its tarball, installed beside the contract's into a fresh
 * project with no other file of this repository (test/setup/packed.ts). It installs light, with
 * Prism bundled and the licences of what it bundles in its notices. There `npx
 * redis-auditing-mock` serves the contract with state and the docs page, a script that
 * imports `startMock` runs two mocks side by side, each with its own state, and exits by itself,
 * and the doors with no port work there: `createMock()` with `mock.fetch`, and MSW's handlers.
 */
import { packed as installedPackages } from '../support/packed.ts';
import { installInto } from '../../tools/install-packed.ts';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { Ajv2020 } from 'ajv/dist/2020.js';
import semver from 'semver';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PAGE_EXAMPLE } from '../support/servers.ts';
import { MOCK_AUTH } from '../support/mock.ts';
import { PATH, dereferenced } from '../support/facts.ts';
import getPort from 'get-port';
import { node, run, start } from '../support/run.ts';
import { LAUNCH, startMockBin } from '../../tools/mock-bin.ts';

const packed = await installedPackages();
const auth = { authorization: MOCK_AUTH };
const validateConfig = new Ajv2020({ strict: false }).compile(
  dereferenced.paths[PATH].get.responses['200'].content['application/json'].schema,
);

describe('the packed mock package', () => {
  it('holds its code, its docs page, its notices and its manifest, and no source, test or script', () => {
    for (const file of [
      'package.json',
      'LICENSE',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/cli.js',
      'dist/msw.js',
      'dist/msw.d.ts',
      'dist/docs.html',
      'dist/THIRD-PARTY-NOTICES.md',
    ])
      expect(packed.files.mock).toContain(file);
    expect(
      packed.files.mock.filter(
        (file) => /^(src|test|scripts|node_modules)\//.test(file) || (file.endsWith('.ts') && !file.endsWith('.d.ts')),
      ),
    ).toEqual([]);
  });

  it('installs light: Prism is in its bundle, not a dependency, and node_modules stays under 10 MB', () => {
    const modules = join(packed.project, 'node_modules');
    const manifest = JSON.parse(readFileSync(join(modules, 'redis-software-auditing-db-conns-mock/package.json'), 'utf8'));
    expect(Object.keys(manifest.dependencies)).toEqual(['redis-software-auditing-db-conns']);
    for (const absent of ['@stoplight', '@faker-js', 'postman-collection']) expect(existsSync(join(modules, absent))).toBe(false);
    const du = run('du', ['-sk', modules]);
    expect(du.status, du.output).toBe(0);
    expect(Number.parseInt(du.output, 10)).toBeLessThanOrEqual(10 * 1024);
  });

  it("its notices give the licence and its text of each package its bundle holds, Prism's and Faker's among them", () => {
    const notices = readFileSync(
      join(packed.project, 'node_modules/redis-software-auditing-db-conns-mock/dist/THIRD-PARTY-NOTICES.md'),
      'utf8',
    );
    const sections = notices.split('\n## ').slice(1);
    const names = sections.map((section) => section.slice(0, section.lastIndexOf('@', section.indexOf('\n'))));
    expect(names).toEqual(
      expect.arrayContaining(['@stoplight/prism-http', '@stoplight/prism-core', '@faker-js/faker', 'json-schema-faker', 'jose']),
    );
    expect(names).not.toContain('postman-collection');
    expect(names).not.toContain('msw');
    for (const section of sections) expect(section).toMatch(/^\S+@\d\S*\n\nLicence: \S.*\n\n```text\n\S[\s\S]*\n```/);
  });

  it('the installed bin (npx redis-auditing-mock) serves the contract with state, and the docs page at /docs', async () => {
    // What `npx redis-auditing-mock` runs there: the bin npm linked on install, by its shebang.
    const mock = await startMockBin({
      launch: LAUNCH.file(join(packed.project, 'node_modules/.bin/redis-auditing-mock')),
      cwd: packed.project,
    });
    try {
      expect(await (await fetch(mock.endpoint, { headers: auth })).json()).toStrictEqual(PAGE_EXAMPLE);
      const put = await fetch(mock.endpoint, {
        method: 'PUT',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ audit_port: 23456 }),
      });
      expect(put.status).toBe(200);
      expect(await (await fetch(mock.endpoint, { headers: auth })).json()).toStrictEqual({ ...PAGE_EXAMPLE, audit_port: 23456 });
      // Prefer: dynamic=true runs json-schema-faker, as bundled: a new configuration the schema allows.
      const generated = await fetch(mock.endpoint, { headers: { ...auth, prefer: 'dynamic=true' } });
      expect(generated.status).toBe(200);
      const body = await generated.json();
      expect(validateConfig(body), JSON.stringify(validateConfig.errors)).toBe(true);
      expect(body).not.toStrictEqual({ ...PAGE_EXAMPLE, audit_port: 23456 });
      const docs = await fetch(mock.docs);
      expect(docs.status).toBe(200);
      expect(await docs.text()).toContain('database connection auditing');
    } finally {
      await mock.stop();
      expect((await mock.exited)[0]).toBe(0);
    }
  });

  describe('--redis-version, from the installed bin', () => {
    /** The installed bin on a free port, playing `version` (the default when none), until `use` is done. */
    async function withBin(version: string | undefined, use: (url: string) => Promise<void>) {
      const mock = await startMockBin({
        launch: LAUNCH.file(join(packed.project, 'node_modules/.bin/redis-auditing-mock')),
        args: version ? ['--redis-version', version] : [],
        cwd: packed.project,
      });
      try {
        const scenario = await (await fetch(`${mock.url}/__mock/scenario`)).json();
        expect(scenario.redis_version).toBe(version ?? '8.2');
        await use(mock.url);
      } finally {
        await mock.stop();
        expect((await mock.exited)[0]).toBe(0);
      }
    }
    const put = (url: string, body: object) =>
      fetch(`${url}${PATH}`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });

    it('8.0 refuses audit_queue_max_bytes with invalid_schema, and the default takes it', async () => {
      await withBin('8.0', async (url) => {
        const refused = await put(url, { audit_queue_max_bytes: 1000 });
        expect(refused.status).toBe(400);
        expect(await refused.json()).toMatchObject({
          error_code: 'invalid_schema',
          description: expect.stringContaining('audit_queue_max_bytes'),
        });
      });
      await withBin(undefined, async (url) => {
        const taken = await put(url, { audit_queue_max_bytes: 1000 });
        expect(taken.status).toBe(200);
        expect((await taken.json()).audit_queue_max_bytes).toBe(1000);
      });
    });

    it('authorize gives a token that gets in until its ttl runs out, then 401; it is in no output nor log', async () => {
      let printed = '';
      const mock = await startMockBin({
        launch: LAUNCH.file(join(packed.project, 'node_modules/.bin/redis-auditing-mock')),
        cwd: packed.project,
        onOutput: (text) => {
          printed += text;
        },
      });
      try {
        const answer = await fetch(`${mock.url}/v1/users/authorize`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ ttl: 3 }), // exp is in whole seconds: a ttl of 1 may be spent before the first use
        });
        expect(answer.status).toBe(200);
        const { access_token: token } = (await answer.json()) as { access_token: string };
        const bearer = { authorization: `Bearer ${token}` };
        expect((await fetch(mock.endpoint, { headers: bearer })).status).toBe(200);
        // exp is in whole seconds: past it, whatever the moment within the second it was signed.
        const exp = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')).exp as number;
        await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 50));
        const expired = await fetch(mock.endpoint, { headers: bearer });
        expect(expired.status).toBe(401);
        expect(await expired.json()).toMatchObject({ error_code: 'unauthorized' });
        const logged = JSON.stringify([printed, mock.stderr(), mock.exchanges()]);
        expect(logged).toContain('/v1/users/authorize');
        expect(logged).not.toContain(token.split('.')[2]);
      } finally {
        await mock.stop();
        expect((await mock.exited)[0]).toBe(0);
      }
    });

    it('on 8.2, PUT /v1/cluster turns Basic off: Basic gets 401, a token from authorize still gets in', async () => {
      await withBin('8.2', async (url) => {
        const answer = await fetch(`${url}/v1/users/authorize`, { method: 'POST', headers: auth });
        const { access_token: token } = (await answer.json()) as { access_token: string };
        const bearer = { authorization: `Bearer ${token}` };
        const off = await fetch(`${url}/v1/cluster`, {
          method: 'PUT',
          headers: { ...bearer, 'content-type': 'application/json' },
          body: JSON.stringify({ control_plane_basic_authentication: false }),
        });
        expect(off.status).toBe(200);
        expect((await fetch(`${url}${PATH}`, { headers: auth })).status).toBe(401);
        expect((await fetch(`${url}${PATH}`, { headers: bearer })).status).toBe(200);
        expect(await (await fetch(`${url}/v1/cluster`, { headers: bearer })).json()).toEqual({
          control_plane_basic_authentication: false,
        });
      });
    });

    it('6.0 answers 404 on the path', async () => {
      await withBin('6.0', async (url) => {
        expect((await fetch(`${url}${PATH}`, { headers: auth })).status).toBe(404);
      });
    });

    it("a 7.4 mock's records reach the listener of docs/listener.md and parse with the packed parser", async () => {
      // The docs' listener, word for word: its code has no type annotation, so it runs as JavaScript.
      writeFileSync(join(packed.project, 'listener.mjs'), readFileSync('docs/examples/listener.ts', 'utf8'));
      const listenerPort = await getPort({ host: '127.0.0.1' });
      const listener = start(process.execPath, ['listener.mjs'], {
        cwd: packed.project,
        env: { AUDIT_HOST: '127.0.0.1', AUDIT_PORT: String(listenerPort) },
      });
      try {
        await listener.waitFor('listening', { timeoutMs: 20_000, in: 'both' });
        await withBin('7.4', async (url) => {
          expect((await put(url, { audit_protocol: 'TCP', audit_address: '127.0.0.1', audit_port: listenerPort })).status).toBe(200);
          // Database 1 audits nothing until switched on.
          const switched = await fetch(`${url}/v1/bdbs/1`, {
            method: 'PUT',
            headers: { authorization: MOCK_AUTH, 'content-type': 'application/json' },
            body: JSON.stringify({ db_conns_auditing: true }),
          });
          expect(switched.status).toBe(200);
          const connections = (body: object) =>
            fetch(`${url}/__mock/audit/connections`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(body),
            });
          expect((await (await connections({ internal: true })).json()).records).toBe(1);
          expect((await (await connections({ commands: 2 })).json()).records).toBe(3); // no command records before 8.2
          await listener.waitFor('closed: ', { timeoutMs: 20_000, in: 'both' });
        });
        const said = listener.stdout().trim().split('\n').slice(1);
        expect(said).toEqual([
          expect.stringMatching(/^internal: \d+$/),
          expect.stringMatching(/^connected: 127\.0\.0\.1:\d+$/),
          'auth: default, status 8',
          expect.stringMatching(/^closed: \d+$/),
        ]);
        expect(listener.stderr()).toBe('');
      } finally {
        listener.child.kill('SIGTERM');
        await listener.exited;
      }
    });
  });

  it('a script that imports startMock runs two mocks side by side, each with its own state, then exits by itself', () => {
    writeFileSync(
      join(packed.project, 'two-mocks.mjs'),
      `import { startMock } from 'redis-software-auditing-db-conns-mock';
import { basicAuth } from 'redis-software-auditing-db-conns';
const auth = { authorization: basicAuth('admin@example.com', 'secret') };
const [one, two] = await Promise.all([startMock(), startMock({ port: 0 })]);
await fetch(one.url + '${PATH}', { method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: '{"audit_port": 1111}' });
const read = async (mock) => (await (await fetch(mock.url + '${PATH}', { headers: auth })).json()).audit_port;
const ports = [await read(one), await read(two)];
await one.reset();
const afterReset = await read(one);
await Promise.all([one.stop(), two.stop()]);
console.log(JSON.stringify({ ports, afterReset, distinct: one.port !== two.port, stopped: await fetch(one.url).then(() => false, () => true) }));
`,
    );
    // No process.exit in the script: it ends only if the mocks leave no handle open.
    const ran = node(['two-mocks.mjs'], { cwd: packed.project, timeoutMs: 30_000 });
    expect(ran.status, ran.output).toBe(0);
    expect(JSON.parse(ran.output)).toStrictEqual({
      ports: [1111, PAGE_EXAMPLE.audit_port],
      afterReset: PAGE_EXAMPLE.audit_port,
      distinct: true,
      stopped: true,
    });
  });

  it("a script drives the contract's client through createMock() and mock.fetch: GET, PUT, GET, DELETE, DELETE again (404), with no port open", () => {
    writeFileSync(
      join(packed.project, 'portless.mjs'),
      `import { createMock } from 'redis-software-auditing-db-conns-mock';
import { createAuditingClient } from 'redis-software-auditing-db-conns';
const servers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'TCPServerWrap').length;
const mock = createMock();
const auditing = createAuditingClient({ baseUrl: 'https://cluster.example.com:9443', username: 'admin@example.com', password: 'secret', fetch: mock.fetch });
const seen = [(await auditing.get()).audit_port, (await auditing.update({ audit_port: 2222 })).audit_port, (await auditing.get()).audit_port];
await auditing.reset();
const again = await auditing.reset().then(() => 'deleted twice', (error) => error.status);
mock.close();
console.log(JSON.stringify({ seen, again, servers: servers() }));
`,
    );
    const ran = node(['portless.mjs'], { cwd: packed.project, timeoutMs: 30_000 });
    expect(ran.status, ran.output).toBe(0);
    expect(JSON.parse(ran.output)).toStrictEqual({ seen: [PAGE_EXAMPLE.audit_port, 2222, 2222], again: 404, servers: 0 });
  });

  it("a script with msw's setupServer and auditingHandlers sees the mock's state through plain fetch (msw 2 on Node 20, msw 3 from Node 22.12)", {
    timeout: 120_000,
  }, async () => {
    // msw 3 needs Node 22.12 or later; each Node line of the matrix tests the msw it can run.
    const msw = semver.gte(process.version, '22.12.0') ? 'msw@3.0.5' : 'msw@2.15.0';
    const project = join(packed.project, '..', `msw-${process.versions.node}`);
    await installInto(project, [packed.tarballs.contract, packed.tarballs.mock, msw]);
    writeFileSync(
      join(project, 'msw.mjs'),
      `import { setupServer } from 'msw/node';
import { createMock } from 'redis-software-auditing-db-conns-mock';
import { auditingHandlers } from 'redis-software-auditing-db-conns-mock/msw';
const cluster = 'https://cluster.example.com:9443';
const mock = createMock();
const server = setupServer(...auditingHandlers(mock, cluster));
server.listen({ onUnhandledRequest: 'error' });
const headers = { authorization: 'Basic ' + btoa('admin@example.com:secret'), 'content-type': 'application/json' };
const put = await fetch(cluster + '${PATH}', { method: 'PUT', headers, body: JSON.stringify({ audit_port: 3333 }) });
const read = await (await fetch(cluster + '${PATH}', { headers })).json();
await mock.scenario({ cluster_policy: true });
const refused = await fetch(cluster + '${PATH}', { method: 'DELETE', headers });
const logged = (await mock.requests()).map((exchange) => exchange.method + ' ' + exchange.status);
server.close();
mock.close();
console.log(JSON.stringify({ put: put.status, port: read.audit_port, refused: refused.status, logged }));
`,
    );
    const ran = node(['msw.mjs'], { cwd: project, timeoutMs: 30_000 });
    expect(ran.status, ran.output).toBe(0);
    expect(JSON.parse(ran.output)).toStrictEqual({ put: 200, port: 3333, refused: 409, logged: ['PUT 200', 'GET 200', 'DELETE 409'] });
  });

  it('the installed bin plays the workflow: the policy, then a database, each refuses DELETE with its own code; a connection_and_crud database sends command records and a connection one does not', async () => {
    const records: { action?: string }[] = [];
    const listener = createNetServer((socket) => {
      let buffered = '';
      socket.setEncoding('utf8').on('data', (text: string) => {
        buffered += text;
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines.filter(Boolean)) records.push(JSON.parse(line));
      });
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const mock = await startMockBin({
      launch: LAUNCH.file(join(packed.project, 'node_modules/.bin/redis-auditing-mock')),
      cwd: packed.project,
    });
    const call = (method: string, path: string, body?: object) =>
      fetch(`${mock.url}${path}`, {
        method,
        headers: { ...auth, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const refusal = async () => {
      const answer = await call('DELETE', PATH);
      return `${answer.status} ${(await answer.json()).error_code}`;
    };
    /** The records of one simulated connection with two commands, as the listener got them. */
    const connect = async () => {
      const before = records.length;
      const { records: sent } = await (await call('POST', '/__mock/audit/connections', { commands: 2 })).json();
      const deadline = Date.now() + 10_000;
      while (records.length < before + sent && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      return records.slice(before).map((record) => record.action ?? Object.keys(record).find((key) => key.endsWith('_conn')));
    };
    try {
      const { port } = listener.address() as { port: number };
      expect((await call('PUT', PATH, { audit_protocol: 'TCP', audit_address: '127.0.0.1', audit_port: port })).status).toBe(200);
      expect((await call('PUT', '/v1/cluster/policy', { db_conns_auditing: true })).status).toBe(200);
      expect(await refusal()).toBe('409 cannot_delete_audit_config_when_policy_enabled');
      expect((await call('PUT', '/v1/cluster/policy', { db_conns_auditing: false })).status).toBe(200);
      expect(await connect()).toEqual([]); // database 1 audits nothing until switched on
      expect((await call('PUT', '/v1/bdbs/1', { audit_settings: { audit_mode: 'connection' } })).status).toBe(200);
      expect(await refusal()).toBe('409 cannot_delete_audit_config_when_bdb_enabled');
      expect(await connect()).toEqual(['new_conn', 'auth', 'close_conn']);
      expect((await call('PUT', '/v1/bdbs/1', { audit_settings: { audit_mode: 'connection_and_crud' } })).status).toBe(200);
      expect(await connect()).toEqual(['new_conn', 'auth', 'command', 'command', 'close_conn']);
      expect((await call('PUT', '/v1/bdbs/1', { audit_settings: { audit_mode: 'disabled' } })).status).toBe(200);
      expect((await call('DELETE', PATH)).status).toBe(200);
    } finally {
      await mock.stop();
      listener.close();
    }
  });
});
