/**
 * TLS for real: a loopback HTTPS server whose certificate is signed by a CA this test makes,
 * as a cluster's self-signed certificate is. The client refuses it by default and accepts it
 * once given the CA through a custom fetch, with verification left on. The dispatcher is undici 7's
 * Agent, the one major whose Agent every tested Node's own fetch accepts (20 and 22 bundle undici 6,
 * 24 bundles 7, 26 bundles 8; undici 6's Agent fails under Node 26, undici 8's under Node 20 to 24).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditingNetworkError, createAuditingClient } from '../src/index.ts';
import { json, PAGE_EXAMPLE, startServer, type TestServer } from './support/servers.ts';

let dir: string;
let server: TestServer;
let ca: string;

// A CA, and a certificate for 127.0.0.1 signed by it, made with openssl.
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tls-'));
  const openssl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    '/CN=Test cluster CA',
  ]);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
  openssl([
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '1',
    '-extfile',
    'san.ext',
  ]);
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  ca = read('ca.pem');
  server = await startServer((_request, response) => json(response, 200, PAGE_EXAMPLE), {
    key: read('server.key'),
    cert: read('server.pem'),
  });
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a cluster with a certificate from its own CA', () => {
  it('is refused by default: AuditingNetworkError with the TLS reason', async () => {
    const auditing = createAuditingClient({ baseUrl: server.url, username: 'u', password: 'p' });
    const error = (await auditing.get().catch((e: unknown) => e)) as AuditingNetworkError;
    expect(error).toBeInstanceOf(AuditingNetworkError);
    expect(error.code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(server.requests).toHaveLength(0);
  });

  it('is trusted through a custom fetch that knows the CA, with verification on', async () => {
    const dispatcher = new Agent({ connect: { ca } });
    try {
      const auditing = createAuditingClient({
        baseUrl: server.url,
        username: 'u',
        password: 'p',
        fetch: (request) => fetch(request, { dispatcher } as RequestInit),
      });
      expect(await auditing.get()).toStrictEqual(PAGE_EXAMPLE);
    } finally {
      await dispatcher.close();
    }
  });

  it('is still refused when the CA given is another one', async () => {
    const other = execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', '/dev/null', '-days', '1', '-subj', '/CN=Other CA'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    ).toString();
    const dispatcher = new Agent({ connect: { ca: other } });
    try {
      const auditing = createAuditingClient({
        baseUrl: server.url,
        username: 'u',
        password: 'p',
        fetch: (request) => fetch(request, { dispatcher } as RequestInit),
      });
      const error = (await auditing.get().catch((e: unknown) => e)) as AuditingNetworkError;
      expect(error).toBeInstanceOf(AuditingNetworkError);
      expect(error.code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    } finally {
      await dispatcher.close();
    }
  });
});
