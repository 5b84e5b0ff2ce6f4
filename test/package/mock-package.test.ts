/**
 * The mock package as users get it: its tarball, installed beside the contract's into a fresh
 * project with no other file of this repository (test/setup/packed.ts). It installs light, with
 * Prism bundled and the licences of what it bundles in its notices. There `npx
 * redis-auditing-mock` serves the contract with state and the docs page, and a script that
 * imports `startMock` runs two mocks side by side, each with its own state, and exits by itself.
 */
import { packed as installedPackages } from '../support/packed.ts';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import getPort from 'get-port';
import { describe, expect, it } from 'vitest';
import { PAGE_EXAMPLE } from '../support/servers.ts';
import { MOCK_AUTH } from '../support/mock.ts';
import { PATH, dereferenced } from '../support/facts.ts';
import { node, run, start } from '../support/run.ts';
import { Ajv2020 } from 'ajv/dist/2020.js';

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
      expect.arrayContaining(['@stoplight/prism-http', '@stoplight/prism-core', '@faker-js/faker', 'json-schema-faker']),
    );
    expect(names).not.toContain('postman-collection');
    for (const section of sections) expect(section).toMatch(/^\S+@\d\S*\n\nLicence: \S.*\n\n```text\n\S[\s\S]*\n```/);
  });

  it('the installed bin (npx redis-auditing-mock --port P) serves the contract with state, and the docs page at /docs', async () => {
    const port = await getPort({ host: '127.0.0.1' });
    // What `npx redis-auditing-mock` runs there: the bin npm linked on install, by its shebang.
    const mock = start(join(packed.project, 'node_modules/.bin/redis-auditing-mock'), ['--port', String(port)], { cwd: packed.project });
    try {
      await mock.waitFor(`Try: curl -u admin@example.com:secret http://127.0.0.1:${port}${PATH}\n`, { timeoutMs: 20_000, in: 'both' });
      const endpoint = `http://127.0.0.1:${port}${PATH}`;
      expect(await (await fetch(endpoint, { headers: auth })).json()).toStrictEqual(PAGE_EXAMPLE);
      const put = await fetch(endpoint, {
        method: 'PUT',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ audit_port: 23456 }),
      });
      expect(put.status).toBe(200);
      expect(await (await fetch(endpoint, { headers: auth })).json()).toStrictEqual({ ...PAGE_EXAMPLE, audit_port: 23456 });
      // Prefer: dynamic=true runs json-schema-faker and Faker, as bundled: a new configuration the schema allows.
      const generated = await fetch(endpoint, { headers: { ...auth, prefer: 'dynamic=true' } });
      expect(generated.status).toBe(200);
      const body = await generated.json();
      expect(validateConfig(body), JSON.stringify(validateConfig.errors)).toBe(true);
      expect(body).not.toStrictEqual({ ...PAGE_EXAMPLE, audit_port: 23456 });
      const docs = await fetch(`http://127.0.0.1:${port}/docs`);
      expect(docs.status).toBe(200);
      expect(await docs.text()).toContain('database connection auditing');
    } finally {
      mock.child.kill('SIGINT');
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
});
