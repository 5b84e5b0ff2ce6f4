/**
 * The mock package as users get it: its tarball, installed beside the contract's into a fresh
 * project with no other file of this repository (test/setup/packed.ts). There `npx
 * redis-auditing-mock` serves the contract with state and the docs page, and a script that
 * imports `startMock` runs two mocks side by side, each with its own state, and exits by itself.
 */
import { packed as installedPackages } from '../support/packed.ts';
import { writeFileSync } from 'node:fs';
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
});
