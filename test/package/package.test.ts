/**
 * The package as users get it: packed, installed from the tarball into a fresh project, imported
 * as ESM, its spec subpaths resolved and parsed, a consumer type-checked under `strict`, and
 * publint and arethetypeswrong run on the tarball.
 *
 * The consumer runs on the Node that runs this suite: .ci/run runs it under each Node it tests.
 */
import { packed as installedPackages } from '../support/packed.ts';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { execaSync } from 'execa';
import { bin, packageJson, root, toolEnv } from '../../tools/project.ts';
import { run } from '../support/run.ts';

// Both packages, packed and installed into a fresh project once for the run (test/setup/packed.ts).
const packed = await installedPackages();
const project = packed.project;
const tarball = packed.tarballs.contract;
const packedFiles = packed.files.contract;

describe('the packed tarball', () => {
  it('holds what users need and nothing else', () => {
    for (const file of [
      'package.json',
      'README.md',
      'LICENSE',
      'dist/index.js',
      'dist/index.d.ts',
      'generated/openapi.json',
      'generated/openapi.yaml',
      'generated/openapi.deref.json',
      'generated/openapi.3.0.json',
      'generated/schema.d.ts',
      'generated/validate-config-update.js',
      'generated/operations.js',
      'dist/records.js',
      'dist/records.d.ts',
      'generated/asyncapi.json',
      'generated/asyncapi.yaml',
      'generated/audit-records.schema.json',
      'generated/audit-records.d.ts',
      'generated/validate-audit-record.js',
      'CHANGELOG.md',
    ]) {
      expect(packedFiles).toContain(file);
    }
    expect(packedFiles.filter((file) => /^(src|test|scripts|openapi|node_modules|\.ci)\//.test(file))).toEqual([]);
  });

  it("is complete packed from a fresh clone: prepack builds dist/ first, and each package prints only npm's JSON", {
    timeout: 180_000,
  }, () => {
    const clone = mkdtempSync(join(tmpdir(), 'fresh-clone-'));
    try {
      // What a clone holds: the files git tracks, and no dist/ (the build writes it; git ignores it).
      for (const file of run('git', ['ls-files'], { cwd: root }).output.split('\n').filter(Boolean))
        cpSync(join(root, file), join(clone, file), { recursive: true });
      symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'), 'dir');
      expect(existsSync(join(clone, 'dist'))).toBe(false);
      const pack = execaSync('npm', ['pack', '--dry-run', '--json'], { cwd: clone, env: toolEnv, reject: false });
      expect(pack.exitCode, pack.stderr).toBe(0);
      // npm's JSON alone: prepack's compile prints nothing on stdout.
      const files = JSON.parse(pack.stdout)[0].files.map((file: { path: string }) => file.path);
      expect(files).toContain('dist/index.js');
      expect(files).toContain('dist/records.js');
      // Packing the contract builds the contract alone, not the mock package beside it.
      expect(existsSync(join(clone, 'packages/mock/dist'))).toBe(false);
      // The mock package builds from its own folder as it packs, and says so on stderr alone.
      const mock = execaSync('npm', ['pack', '--dry-run', '--json'], { cwd: join(clone, 'packages/mock'), env: toolEnv, reject: false });
      expect(mock.exitCode, mock.stderr).toBe(0);
      expect(JSON.parse(mock.stdout)[0].files.map((file: { path: string }) => file.path)).toContain('dist/index.js');
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
  });

  it('passes publint', () => {
    const result = run(process.execPath, [join(root, 'node_modules/publint/src/cli.js'), tarball]);
    expect(result.output).toContain('All good!');
    expect(result.status).toBe(0);
  });

  it('passes arethetypeswrong as an ESM-only package', () => {
    // The YAML files are data files, not modules: they are resolved and read, never imported.
    const result = run(process.execPath, [
      join(root, 'node_modules/@arethetypeswrong/cli/dist/index.js'),
      tarball,
      '--profile',
      'esm-only',
      '--exclude-entrypoints',
      './openapi.yaml',
      './asyncapi.yaml',
    ]);
    expect(result.status, result.output).toBe(0);
  });
});

describe('a fresh project that installed the tarball', () => {
  it(`imports the client as ESM, validates with the shipped validator and calls a loopback server (Node ${process.versions.node})`, () => {
    writeFileSync(
      join(project, 'use.mjs'),
      `import { createServer } from 'node:http';
import * as client from '${packageJson.name}';
const { createAuditingClient, AuditingError, AuditingValidationError, AuditingApiError, AuditingNetworkError } = client;
// A server that answers 503 with Retry-After, and never answers under /hang.
const server = createServer((request, response) => {
  if (request.url.startsWith('/hang')) return;
  response.writeHead(503, { 'retry-after': '7', 'content-type': 'application/json' });
  response.end(JSON.stringify({ message: 'busy' }));
}).listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const baseUrl = 'http://127.0.0.1:' + server.address().port;
const auditing = createAuditingClient({ baseUrl, username: 'admin@example.com', password: 'x' });
const invalid = await auditing.update({ audit_port: 'x' }).catch((e) => e);
const busy = await auditing.get({ signal: new AbortController().signal }).catch((e) => e);
const hanging = createAuditingClient({ baseUrl: baseUrl + '/hang', username: 'admin@example.com', password: 'x', timeoutMs: 200 });
const timedOut = await hanging.get().catch((e) => e);
server.closeAllConnections();
server.close();
console.log(JSON.stringify({
  node: process.version,
  bases: [invalid, busy, timedOut].map((e) => e instanceof AuditingError && client.isAuditingError(e)),
  validation: invalid instanceof AuditingValidationError ? invalid.problems : null,
  api: busy instanceof AuditingApiError ? [busy.status, busy.statusText, busy.headers.get('retry-after'), busy.message] : null,
  network: timedOut instanceof AuditingNetworkError ? [timedOut.code, client.isAuditingNetworkError(timedOut)] : null,
}));`,
    );
    const result = run(process.execPath, ['use.mjs'], { cwd: project });
    expect(result.status, result.output).toBe(0);
    const out = JSON.parse(result.output);
    expect(out.node).toBe(process.version);
    expect(out.bases).toEqual([true, true, true]);
    expect(out.validation).toEqual([{ field: 'audit_port', rule: 'type', message: 'must be an integer' }]);
    expect(out.api).toEqual([
      503,
      'Service Unavailable',
      '7',
      'GET /v1/cluster/auditing/db_conns failed with 503 Service Unavailable: busy',
    ]);
    expect(out.network).toEqual(['timeout', true]);
  });

  it('resolves every spec subpath to a file that parses', () => {
    const subpaths = ['openapi.json', 'openapi.yaml', 'openapi.deref.json', 'openapi.3.0.json'];
    writeFileSync(
      join(project, 'resolve.mjs'),
      `console.log(JSON.stringify(${JSON.stringify(subpaths)}.map((s) => import.meta.resolve('${packageJson.name}/' + s))));`,
    );
    const result = run(process.execPath, ['resolve.mjs'], { cwd: project });
    expect(result.status, result.output).toBe(0);
    const files = (JSON.parse(result.output) as string[]).map((url) => new URL(url).pathname);
    const docs = files.map((file) =>
      file.endsWith('.yaml') ? parseYaml(readFileSync(file, 'utf8')) : JSON.parse(readFileSync(file, 'utf8')),
    );
    expect(docs.map((doc) => doc.openapi)).toEqual(['3.1.0', '3.1.0', '3.1.0', '3.0.3']);
    for (const doc of docs) expect(doc.info.version).toBe(packageJson.version);
  });

  it("resolves the audit records' contract: the AsyncAPI document and the records' JSON Schema", () => {
    const subpaths = ['asyncapi.json', 'asyncapi.yaml', 'audit-records.schema.json'];
    writeFileSync(
      join(project, 'resolve-records.mjs'),
      `console.log(JSON.stringify(${JSON.stringify(subpaths)}.map((s) => import.meta.resolve('${packageJson.name}/' + s))));`,
    );
    const result = run(process.execPath, ['resolve-records.mjs'], { cwd: project });
    expect(result.status, result.output).toBe(0);
    const [json, yaml, schema] = (JSON.parse(result.output) as string[]).map((url) => readFileSync(new URL(url).pathname, 'utf8'));
    expect([JSON.parse(json!).asyncapi, parseYaml(yaml!).asyncapi]).toEqual(['3.0.0', '3.0.0']);
    expect(JSON.parse(json!).info.version).toBe(packageJson.version);
    expect(JSON.parse(schema!).title).toBe('AuditRecord');
  });

  it("parses records over a loopback socket with ./records, and its errors are the package's", () => {
    writeFileSync(
      join(project, 'records.mjs'),
      `import { createConnection, createServer } from 'node:net';
import { AuditingError } from '${packageJson.name}';
import { AuditRecordParseError, isAuditRecord, parseAuditRecords } from '${packageJson.name}/records';
const received = [];
let failure;
const done = new Promise((resolve) => {
  const server = createServer(async (socket) => {
    try {
      for await (const record of parseAuditRecords(socket)) received.push(record);
    } catch (error) {
      failure = error;
      socket.destroy();
    }
    server.close(resolve);
  }).listen(0, '127.0.0.1', () => {
    const socket = createConnection(server.address().port, '127.0.0.1');
    socket.end('{"ts":1,"new_conn":{"srcp":"46252"}}\\n{"ts":2,"action":"auth","status":8}oops');
  });
});
await done;
console.log(JSON.stringify({
  received,
  valid: received.map(isAuditRecord),
  failure: [failure instanceof AuditRecordParseError, failure instanceof AuditingError, failure?.offset, failure?.reason],
}));`,
    );
    const result = run(process.execPath, ['records.mjs'], { cwd: project });
    expect(result.status, result.output).toBe(0);
    const out = JSON.parse(result.output);
    expect(out.received).toEqual([
      { ts: 1, new_conn: { srcp: '46252' } },
      { ts: 2, action: 'auth', status: 8 },
    ]);
    expect(out.valid).toEqual([true, true]);
    expect(out.failure).toEqual([true, true, 72, 'not-json']);
  });

  it('type-checks a consumer under strict, a wrong protocol included as an expected error', () => {
    writeFileSync(
      join(project, 'consumer.ts'),
      `import { createAuditingClient, isAuditingApiError, AuditingError, type DbConnsAuditingConfig, type DbConnsAuditingConfigUpdate } from '${packageJson.name}';
import type { paths } from '${packageJson.name}/schema';
import { parseAuditRecords, type AuditRecord } from '${packageJson.name}/records';

const auditing = createAuditingClient({ baseUrl: 'https://cluster.example.com:9443', username: 'admin@example.com', password: 'x' });
export async function use(): Promise<DbConnsAuditingConfig> {
  const update: DbConnsAuditingConfigUpdate = { audit_protocol: 'TCP', audit_port: 12345 };
  // @ts-expect-error the protocol is TCP or local
  const wrong: DbConnsAuditingConfigUpdate = { audit_protocol: 'UDP' };
  void wrong;
  try {
    return await auditing.update(update);
  } catch (error) {
    if (isAuditingApiError(error, 'updateDbConnsAuditingConfig') && error.hasDocumentedCode() && error.errorCode === 'invalid_schema') throw error;
    if (isAuditingApiError(error)) {
      const retryAfter: string | null = error.headers.get('retry-after');
      const statusText: string = error.statusText;
      void [retryAfter, statusText];
    }
    if (error instanceof AuditingError) throw new Error(error.message, { cause: error });
    throw error;
  }
}
export type Get = paths['/v1/cluster/auditing/db_conns']['get'];
export async function firstSourcePort(source: AsyncIterable<Uint8Array>): Promise<string | undefined> {
  for await (const record of parseAuditRecords(source)) {
    if ('new_conn' in record) return record.new_conn.srcp;
    // @ts-expect-error an auth record has no new_conn
    if ('action' in record && record.action === 'auth') return record.new_conn;
  }
  return undefined;
}
export const record: AuditRecord = { ts: 1, action: 'command', status: 10, error: 'ERR' };
`,
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          lib: ['ES2022', 'DOM'],
          types: [],
          skipLibCheck: false,
        },
        files: ['consumer.ts'],
      }),
    );
    const result = run(process.execPath, [bin.tsc, '-p', 'tsconfig.json'], { cwd: project });
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });
});
