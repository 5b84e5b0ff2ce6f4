/**
 * `npm run mock`, the package's main job, as a user runs it: a real process serving the spec,
 * one log line per request, a clean stop on Ctrl-C (SIGINT), a one-line error on a busy port.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { freePort } from '../scripts/lib/prism.ts';
import { bin, root, toolEnv } from '../scripts/lib/project.ts';
import { watch } from './support/run.ts';

const auth = { authorization: `Basic ${btoa('admin@example.com:secret')}` };

function startMock(port: number) {
  const child = spawn(process.execPath, [bin.tsx, 'scripts/mock.ts'], { cwd: root, env: { ...toolEnv, PORT: String(port) } });
  const watched = watch(child);
  return { child, exited: watched.exited, waitFor: (text: string) => watched.waitFor(text), out: watched.stdout, err: watched.stderr };
}

describe('npm run mock', () => {
  it('serves the page example on PORT, logs one line per request and per violation, and stops on SIGINT', async () => {
    const port = await freePort();
    const mock = startMock(port);
    try {
      await mock.waitFor(`serving on http://127.0.0.1:${port}`);
      const response = await fetch(`http://127.0.0.1:${port}/v1/cluster/auditing/db_conns`, { headers: auth });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ audit_address: '127.0.0.1', audit_port: 12345, audit_protocol: 'TCP' });
      const put = await fetch(`http://127.0.0.1:${port}/v1/cluster/auditing/db_conns`, {
        method: 'PUT',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ audit_port: 'x' }),
      });
      expect(put.status).toBe(400);
      await mock.waitFor('violation:');
      // Everything after the two lines of the banner: one line per request, one per violation.
      expect(mock.out().trim().split('\n').slice(2)).toEqual([
        'GET /v1/cluster/auditing/db_conns -> 200',
        'PUT /v1/cluster/auditing/db_conns -> 400',
        '  violation: request.body.audit_port Request body property audit_port must be integer',
      ]);
    } finally {
      mock.child.kill('SIGINT');
    }
    const [code] = await mock.exited;
    expect(code).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow(); // Prism is gone with it
  });

  it('says in one line that the port is in use, without a stack trace', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as { port: number };
    try {
      const mock = startMock(port);
      const [code] = await mock.exited;
      expect(code).toBe(1);
      expect(mock.err().trim().split('\n')).toEqual([
        `mock: port ${port} on 127.0.0.1 is already in use; stop what uses it or choose another with PORT=4011 npm run mock`,
      ]);
    } finally {
      blocker.close();
    }
  });

  it('rejects a PORT that is not a port', async () => {
    const mock = startMock(70000);
    const [code] = await mock.exited;
    expect(code).toBe(2);
    expect(mock.err()).toContain('PORT must be a whole number from 1 to 65535');
  });
});
