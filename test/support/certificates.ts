/**
 * Certificates the TLS tests make for themselves with openssl, in a temporary folder: CAs, and
 * certificates they sign, for a server on 127.0.0.1 or for a client. Valid for a day.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Pem {
  key: string;
  cert: string;
}

export function certificateMaker() {
  const dir = mkdtempSync(join(tmpdir(), 'tls-'));
  const openssl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const read = (name: string): Pem => ({
    key: readFileSync(join(dir, `${name}.key`), 'utf8'),
    cert: readFileSync(join(dir, `${name}.pem`), 'utf8'),
  });
  return {
    /** A self-signed CA. */
    ca(name: string): Pem {
      openssl(
        ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '1'].concat([
          '-subj',
          `/CN=${name}`,
        ]),
      );
      return read(name);
    },
    /** A certificate signed by `ca`: for a server on 127.0.0.1, or for a client (TLS client authentication). */
    issue(name: string, ca: string, use: 'server' | 'client'): Pem {
      const extensions = use === 'server' ? 'subjectAltName=IP:127.0.0.1\n' : 'extendedKeyUsage=clientAuth\n';
      writeFileSync(join(dir, `${name}.ext`), extensions);
      const subject = use === 'server' ? '/CN=127.0.0.1' : `/CN=${name}`;
      openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject]);
      openssl(
        ['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial'].concat([
          '-out',
          `${name}.pem`,
          '-days',
          '1',
          '-extfile',
          `${name}.ext`,
        ]),
      );
      return read(name);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
