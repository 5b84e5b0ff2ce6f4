/**
 * Mutual TLS for real, as a cluster with `mtls_certificate_authentication` on checks it: a
 * loopback HTTPS server that asks every client for a certificate and refuses, in the handshake,
 * one not signed by the CA it trusts (node:https, requestCert and rejectUnauthorized). The client
 * presents its certificate through a `fetch` whose undici 7 Agent has it, the recipe of docs/client.md;
 * every certificate is made by the test with openssl.
 */
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditingNetworkError, createAuditingClient } from '../../src/index.ts';
import { certificateMaker, type Pem } from '../support/certificates.ts';
import { json, PAGE_EXAMPLE, startServer, type TestServer } from '../support/servers.ts';

const certificates = certificateMaker();
let server: TestServer;
let clusterCa: string;
let trusted: Pem;
let untrusted: Pem;
/** The common name of each client certificate the server accepted. */
const accepted: string[] = [];

beforeAll(async () => {
  clusterCa = certificates.ca('Cluster CA').cert;
  // The CA in the cluster's mtls_trusted_ca, and one it does not know.
  const clientCa = certificates.ca('Client CA').cert;
  certificates.ca('Unknown CA');
  trusted = certificates.issue('ops-automation', 'Client CA', 'client');
  untrusted = certificates.issue('intruder', 'Unknown CA', 'client');
  server = await startServer(
    (request, response) => {
      accepted.push((request.socket as import('node:tls').TLSSocket).getPeerCertificate().subject.CN as string);
      json(response, 200, PAGE_EXAMPLE);
    },
    { ...certificates.issue('cluster', 'Cluster CA', 'server'), ca: clientCa, requestCert: true, rejectUnauthorized: true },
  );
});

afterAll(async () => {
  await server?.close();
  certificates.remove();
});

/** The recipe of docs/client.md: a dispatcher that trusts the cluster's CA and presents the client's certificate. */
async function withCertificate<T>(client: Partial<Pem>, use: (fetch: (request: Request) => Promise<Response>) => Promise<T>) {
  const dispatcher = new Agent({ connect: { ca: clusterCa, ...client } });
  try {
    return await use((request) => fetch(request, { dispatcher } as RequestInit));
  } finally {
    await dispatcher.close();
  }
}

const failure = (error: unknown) => error as AuditingNetworkError;

describe('a cluster that lets clients in by certificate', () => {
  it('accepts a client certificate signed by the CA it trusts; no Authorization header is sent', async () => {
    const from = server.requests.length;
    const config = await withCertificate(trusted, (fetch) => createAuditingClient({ baseUrl: server.url, mutualTLS: true, fetch }).get());
    expect(config).toStrictEqual(PAGE_EXAMPLE);
    expect(accepted.at(-1)).toBe('ops-automation');
    expect(server.requests.slice(from).map((request) => request.headers.authorization)).toEqual([undefined]);
  });

  it.each([
    ['without a client certificate', () => ({})],
    ['with a certificate from a CA it does not trust', () => untrusted],
  ])('refuses a client %s in the handshake: AuditingNetworkError with the reason', async (_name, client) => {
    const from = server.requests.length;
    const error = failure(
      await withCertificate(client(), (fetch) => createAuditingClient({ baseUrl: server.url, mutualTLS: true, fetch }).get()).catch(
        (e: unknown) => e,
      ),
    );
    expect(error).toBeInstanceOf(AuditingNetworkError);
    // Over TLS 1.3 (every Node's default) the refusal comes once the client has sent its request:
    // undici reads only the connection closing, and the client says what that most likely means.
    expect(error.code).toMatch(/^(UND_ERR_SOCKET|ECONNRESET|ERR_SSL_\w+_ALERT_\w+)$/);
    expect(error.message).toMatch(
      /^GET \/v1\/cluster\/auditing\/db_conns failed: .*\(did the cluster refuse the client certificate, or get none\?\)$/,
    );
    expect(server.requests.length).toBe(from);
  });
});
