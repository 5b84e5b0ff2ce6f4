/**
 * TLS for real: a loopback HTTPS server whose certificate is signed by a CA this test makes,
 * as a cluster's self-signed certificate is. The client refuses it by default and accepts it
 * once given the CA through a custom fetch, with verification left on. The dispatcher is undici 7's
 * Agent, the one major whose Agent every tested Node's own fetch accepts (20 and 22 bundle undici 6,
 * 24 bundles 7, 26 bundles 8; undici 6's Agent fails under Node 26, undici 8's under Node 20 to 24).
 */
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditingNetworkError, createAuditingClient } from '../../src/index.ts';
import { certificateMaker } from '../support/certificates.ts';
import { json, PAGE_EXAMPLE, startServer, type TestServer } from '../support/servers.ts';

const certificates = certificateMaker();
let server: TestServer;
let ca: string;

// A CA, and a certificate for 127.0.0.1 signed by it, made with openssl.
beforeAll(async () => {
  ca = certificates.ca('Test cluster CA').cert;
  server = await startServer(
    (_request, response) => json(response, 200, PAGE_EXAMPLE),
    certificates.issue('server', 'Test cluster CA', 'server'),
  );
});

afterAll(async () => {
  await server?.close();
  certificates.remove();
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
    const other = certificates.ca('Other CA').cert;
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
