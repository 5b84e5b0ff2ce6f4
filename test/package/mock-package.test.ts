/**
 * The mock package as users get it: its tarball, installed beside the contract's into a fresh
 * project with no other file of this repository (test/setup/packed.ts). There `npx
 * redis-auditing-mock` serves the contract with state and the docs page, a script that
 * imports `startMock` runs two mocks side by side, each with its own state, and exits by itself,
 * and the doors with no port work there: `createMock()` with `mock.fetch`, and MSW's handlers.
 */
import { packed as installedPackages } from '../support/packed.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { execa } from 'execa';
import semver from 'semver';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PAGE_EXAMPLE } from '../support/servers.ts';
import { MOCK_AUTH } from '../support/mock.ts';
import { PATH } from '../support/facts.ts';
import { node } from '../support/run.ts';
import { LAUNCH, startMockBin } from '../../tools/mock-bin.ts';

const packed = await installedPackages();
const auth = { authorization: MOCK_AUTH };

describe('the packed mock package', () => {
  it('holds its code, its docs page and its manifest, and no source, test or script', () => {
    for (const file of ['package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/cli.js', 'dist/docs.html'])
      expect(packed.files.mock).toContain(file);
    expect(
      packed.files.mock.filter(
        (file) => /^(src|test|scripts|node_modules)\//.test(file) || (file.endsWith('.ts') && !file.endsWith('.d.ts')),
      ),
    ).toEqual([]);
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
      const docs = await fetch(mock.docs);
      expect(docs.status).toBe(200);
      expect(await docs.text()).toContain('database connection auditing');
    } finally {
      await mock.stop();
      expect((await mock.exited)[0]).toBe(0);
    }
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
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'msw-consumer', private: true, type: 'module' }));
    await execa('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', packed.tarballs.contract, packed.tarballs.mock, msw], {
      cwd: project,
    });
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
});
