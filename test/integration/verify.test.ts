/**
 * `redis-auditing-mock verify` (and `npm run verify`, the same bin) as a user runs it, in front of stand-in clusters on loopback: one that keeps
 * the contract (nothing reported) and one that breaks it (each violation reported with what and
 * where). The stand-ins count what reaches them, which shows what the proxy sends on its own
 * (one GET) and what it keeps from the cluster (a request that breaks the contract).
 */
import { basicAuth } from '../../src/index.ts';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { XMLValidator } from 'fast-xml-parser';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { PAGE_EXAMPLE, json, startServer, type Handler, type TestServer } from '../support/servers.ts';
import { start } from '../support/run.ts';
import { MOCK_BIN, eventually, listening, processTree, running } from '../support/mock.ts';
import { PATH } from '../support/facts.ts';

const USER = 'admin@example.com';
const PASSWORD = 'verify-test-password-7f3a';
const userAuth = { authorization: basicAuth('someone@example.com', 'their-password') };

interface VerifyRun {
  pid: number;
  output: () => string;
  waitFor: (text: string, timeoutMs?: number) => Promise<void>;
  /** Ctrl-C, then the exit code. */
  interrupt: () => Promise<number | null>;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
  cleanUp: () => Promise<void>;
}

function startVerify(args: string[], env: NodeJS.ProcessEnv = {}): VerifyRun {
  // The bin straight under Node: one process, so Ctrl-C (SIGINT) reaches it itself.
  const {
    child,
    exited,
    output,
    waitFor: waitForText,
  } = start(process.execPath, [MOCK_BIN, 'verify', ...args], {
    env: { REDIS_USER: undefined, REDIS_PASSWORD: undefined, NODE_EXTRA_CA_CERTS: undefined, ...env },
  });
  const waitFor = (text: string, timeoutMs = 40_000) => waitForText(text, { timeoutMs, in: 'both' });
  const interrupt = async () => {
    child.kill('SIGINT');
    const [code] = await exited;
    return code;
  };
  /** Stops the bin if a test failed before it did. */
  const cleanUp = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  };
  return { pid: child.pid!, output, waitFor, interrupt, exited, cleanUp };
}

const proxyUrl = (run: VerifyRun) => run.output().match(/on (http:\/\/127\.0\.0\.1:\d+), checking/)![1]!;
const lines = (run: VerifyRun) => run.output().trimEnd().split('\n');

/** Runs verify against `server`, lets `use` send requests through it, then stops it with Ctrl-C. */
async function withVerify(
  server: TestServer,
  extraArgs: string[],
  use: (url: string, run: VerifyRun) => Promise<void>,
  env = { REDIS_USER: USER, REDIS_PASSWORD: PASSWORD },
) {
  const run = startVerify([server.url, '--port', '0', ...extraArgs], env);
  try {
    await run.waitFor('(Ctrl-C stops it)');
    await use(`${proxyUrl(run)}${PATH}`, run);
    const code = await run.interrupt();
    return { code, run };
  } finally {
    await run.cleanUp();
    await server.close();
  }
}

const keepsTheContract: Handler = (request, response) => {
  if (request.method === 'DELETE') return void response.writeHead(200).end();
  json(response, 200, PAGE_EXAMPLE);
};

const breaksTheContract: Handler = (request, response) => {
  if (request.method === 'GET') return json(response, 200, { ...PAGE_EXAMPLE, audit_port: String(PAGE_EXAMPLE.audit_port) });
  if (request.method === 'PUT') return json(response, 418, { error_code: 'teapot', message: 'I am a teapot' });
  json(response, 406, { message: 'Not all nodes support DB Connections Auditing capability' }); // no error_code
};

// Each test starts processes and servers of its own, on ports of their own: they run side by side,
// each checking with its own `expect`.
describe.concurrent('npm run verify', () => {
  it('explains itself with --help: credentials, the CA and the exit status', async ({ expect }) => {
    const run = startVerify(['--help']);
    const [code] = await run.exited;
    expect(code, run.output()).toBe(0);
    const help = run.output();
    expect(help).toContain('Usage: redis-auditing-mock verify <cluster URL> [--port N] [--ca FILE]');
    for (const text of ['--ca FILE', 'NODE_EXTRA_CA_CERTS', 'REDIS_USER', 'REDIS_PASSWORD', 'never writes to the cluster', 'Exit status'])
      expect(help).toContain(text);
  });

  it.for([
    [[], "give the cluster's address"],
    [['not a url'], 'is not a URL'],
    [['ftp://cluster.example.com'], 'must start with https://'],
    [['https://admin:secret@cluster.example.com:9443'], 'keep credentials out of the URL'],
    [['https://cluster.example.com:9443/v1'], 'without a path'],
    [['https://cluster.example.com:9443', '--port', '70000'], '--port must be a whole number'],
    [['https://cluster.example.com:9443', '--ca', '/nonexistent/ca.pem'], 'cannot read --ca'],
  ] as const)('refuses %j with exit status 2', async ([args, message], { expect }) => {
    const run = startVerify([...args]);
    const [code] = await run.exited;
    expect(code).toBe(2);
    expect(run.output()).toContain(message);
    expect(run.output()).not.toContain('secret');
  });

  it('reports nothing for a cluster that keeps the contract, and sends only one GET of its own', async ({ expect }) => {
    const cluster = await startServer(keepsTheContract);
    const { code, run } = await withVerify(cluster, [], async (url, run) => {
      // Before any request of ours: the one read-only GET, with the credentials from the environment.
      expect(cluster.requests.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([['GET', PATH, basicAuth(USER, PASSWORD)]]);
      expect(run.output()).toContain(`GET ${PATH} -> 200\n`);

      const put = await fetch(url, {
        method: 'PUT',
        headers: { ...userAuth, 'content-type': 'application/json' },
        body: JSON.stringify({ audit_port: 12346 }),
      });
      expect(put.status).toBe(200);
      expect(await put.json()).toStrictEqual(PAGE_EXAMPLE);
      const reset = await fetch(url, { method: 'DELETE', headers: userAuth });
      expect(reset.status).toBe(200);
      expect(await reset.text()).toBe('');
    });
    expect(cluster.requests.map((r) => r.method)).toEqual(['GET', 'PUT', 'DELETE']);
    expect(cluster.requests[1]!.headers.authorization).toBe(userAuth.authorization); // the user's own credentials, passed on
    expect(run.output()).not.toContain('violation at');
    expect(run.output()).not.toContain(PASSWORD);
    expect(lines(run).at(-1)).toBe('verify: 0 violations in 3 exchanges (0 in requests, 0 in responses)');
    expect(code).toBe(0);
  });

  it('reports each violation of a cluster that breaks the contract, with what and where', async ({ expect }) => {
    const cluster = await startServer(breaksTheContract);
    const { code, run } = await withVerify(cluster, [], async (url) => {
      const put = await fetch(url, {
        method: 'PUT',
        headers: { ...userAuth, 'content-type': 'application/json' },
        body: JSON.stringify({ audit_port: 12346 }),
      });
      expect(put.status).toBe(418); // an undeclared status is reported, and passed on as it is
      expect(await put.json()).toStrictEqual({ error_code: 'teapot', message: 'I am a teapot' });

      const reset = await fetch(url, { method: 'DELETE', headers: userAuth });
      expect(reset.status).toBe(500); // a body that breaks the contract is replaced by Prism's report
      expect(reset.headers.get('content-type')).toBe('application/problem+json');

      const invalid = await fetch(url, {
        method: 'PUT',
        headers: { ...userAuth, 'content-type': 'application/json' },
        body: JSON.stringify({ audit_port: 'twelve' }),
      });
      expect(invalid.status).toBe(422);
    });

    const report = run.output();
    expect(report).toContain(
      `GET ${PATH} -> 500 (the cluster's answer was replaced by Prism's 500)\n` +
        '  violation at response.body.audit_port: Response body property audit_port must be integer\n',
    );
    expect(report).toContain(
      `PUT ${PATH} -> 418\n` +
        '  violation at response (warning): Unable to match the returned status code with those defined in the document: 200,400,401,403,406\n',
    );
    expect(report).toContain(
      `DELETE ${PATH} -> 500 (the cluster's answer was replaced by Prism's 500)\n` +
        "  violation at response.body: Response body must have required property 'error_code'\n",
    );
    expect(report).toContain(
      `PUT ${PATH} -> 422 (not sent to the cluster)\n` +
        '  violation at request.body.audit_port: Request body property audit_port must be integer\n',
    );
    // The invalid PUT never reached the cluster.
    expect(cluster.requests.map((r) => r.method)).toEqual(['GET', 'PUT', 'DELETE']);
    expect(report).not.toContain(PASSWORD);
    expect(lines(run).at(-1)).toBe('verify: 4 violations in 4 exchanges (1 in requests, 3 in responses)');
    expect(code).toBe(1);
  });

  it('--report and --junit write what it saw, with the coverage of each documented status', async ({ expect }) => {
    const dir = mkdtempSync(join(tmpdir(), 'verify-report-'));
    try {
      const [report, junit] = [join(dir, 'report.json'), join(dir, 'junit.xml')];
      const cluster = await startServer(breaksTheContract);
      const { code } = await withVerify(cluster, ['--report', report, '--junit', junit], async (url) => {
        await fetch(url, { method: 'DELETE', headers: userAuth });
      });
      expect(code).toBe(1);
      const written = JSON.parse(readFileSync(report, 'utf8'));
      expect(written.exchanges.map((e: { method: string; status: number }) => [e.method, e.status])).toEqual([
        ['GET', 500],
        ['DELETE', 500],
      ]);
      expect(written.violations).toBe(2);
      expect(written.coverage.getDbConnsAuditingConfig.statuses).toMatchObject({ 200: 0 });
      expect(written.coverage.getDbConnsAuditingConfig.examples).toBeUndefined();
      const xml = readFileSync(junit, 'utf8');
      expect(XMLValidator.validate(xml)).toBe(true);
      expect(xml).toContain('failures="2"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // Stand-ins for clusters of three versions, each answering as the docs say that version does.
  const cluster82: Handler = (request, response, body) => {
    if (request.method === 'DELETE') return void response.writeHead(200).end();
    json(response, 200, { ...PAGE_EXAMPLE, audit_queue_max_bytes: 524288, ...(request.method === 'PUT' ? JSON.parse(body) : {}) });
  };
  const cluster74: Handler = (request, response, body) => {
    if (request.method === 'PUT' && 'audit_queue_max_bytes' in JSON.parse(body))
      return json(response, 400, { error_code: 'invalid_schema', description: 'audit_queue_max_bytes is not allowed' });
    json(response, 200, PAGE_EXAMPLE);
  };
  const cluster60: Handler = (_request, response) => json(response, 404, { error_code: 'not_found', description: 'no such path' });
  const putQueue = (url: string) =>
    fetch(url, {
      method: 'PUT',
      headers: { ...userAuth, 'content-type': 'application/json' },
      body: JSON.stringify({ audit_queue_max_bytes: 1000 }),
    });

  it.for([
    ['8.2', cluster82, 'Redis Software 8.2 or later', { from: '8.2' }],
    ['7.4', cluster74, 'Redis Software 6.2.18 up to before 8.2', { from: '6.2.18', before: '8.2' }],
    ['6.0', cluster60, 'Redis Software before 6.2.18', { before: '6.2.18' }],
  ] as const)(
    "names the versions a %s cluster's answers fit: summary, --report and --junit",
    async ([, handler, text, range], { expect }) => {
      const dir = mkdtempSync(join(tmpdir(), 'verify-versions-'));
      try {
        const [report, junit] = [join(dir, 'report.json'), join(dir, 'junit.xml')];
        const cluster = await startServer(handler);
        const { run } = await withVerify(cluster, ['--report', report, '--junit', junit], async (url) => {
          await putQueue(url);
        });
        expect(lines(run).at(-2)).toBe(`verify: the answers fit ${text}`);
        const written = JSON.parse(readFileSync(report, 'utf8'));
        expect(written.versions).toMatchObject({ ...range, consistent: true, text });
        expect(written.versions.from).toBe((range as { from?: string }).from);
        expect(written.versions.before).toBe((range as { before?: string }).before);
        for (const evidence of written.versions.evidence) expect(evidence.why).toMatch(/x-introduced-in/);
        const xml = readFileSync(junit, 'utf8');
        expect(XMLValidator.validate(xml)).toBe(true);
        expect(xml).toContain('<testsuite name="redis software version" tests="1" failures="0">');
        expect(xml).toContain(`name="the answers fit ${text}"`);
        expect(run.output()).not.toContain(PASSWORD);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('says so, and fails the JUnit case, when no documented version fits the answers', async ({ expect }) => {
    const dir = mkdtempSync(join(tmpdir(), 'verify-versions-'));
    try {
      const junit = join(dir, 'junit.xml');
      // A cluster that answers with audit_queue_max_bytes yet refuses it in a PUT: no version does both.
      const cluster = await startServer((request, response, body) =>
        request.method === 'PUT' ? cluster74(request, response, body) : cluster82(request, response, body),
      );
      const { run } = await withVerify(cluster, ['--junit', junit], async (url) => {
        await putQueue(url);
      });
      expect(lines(run).at(-2)).toBe(
        'verify: the answers fit no documented Redis Software version (the answers say both 8.2 or later and before 8.2)',
      );
      const xml = readFileSync(junit, 'utf8');
      expect(xml).toContain('<testsuite name="redis software version" tests="1" failures="1">');
      expect(xml).toContain('a PUT with audit_queue_max_bytes was refused with invalid_schema (x-introduced-in 8.2)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lives on when a caller goes away mid-request, in one process that starts no other', async ({ expect }) => {
    const cluster = await startServer(keepsTheContract);
    const { code, run } = await withVerify(cluster, [], async (url, verifyRun) => {
      // Half a PUT, then the connection is gone.
      const { hostname, port } = new URL(url);
      const socket = connect(Number(port), hostname);
      await once(socket, 'connect');
      socket.write(
        `PUT ${PATH} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"audit_port":`,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await fetch(url, { headers: userAuth })).status).toBe(200);

      // Prism runs inside it: no process holds the credentials but the one given them.
      expect(processTree(verifyRun.pid).map((p) => p.pid)).toEqual([verifyRun.pid]);
      expect(readFileSync(`/proc/${verifyRun.pid}/cmdline`, 'utf8')).not.toContain(PASSWORD);
    });
    expect(lines(run).at(-1)).toBe('verify: 0 violations in 2 exchanges (0 in requests, 0 in responses)');
    expect(code).toBe(0);
  });

  describe('stops however it is stopped, with nothing left running and the port free', () => {
    it.for(['SIGTERM', 'SIGHUP'] as const)('the script, sent %s, prints its summary and exits 0', async (signal, { expect }) => {
      const cluster = await startServer(keepsTheContract);
      const run = startVerify([cluster.url, '--port', '0']);
      try {
        await run.waitFor('(Ctrl-C stops it)');
        const tree = processTree(run.pid);
        expect(tree.length).toBe(1); // Prism runs inside it
        process.kill(run.pid, signal);
        const [code] = await run.exited;
        expect(code).toBe(0);
        expect(lines(run).at(-1)).toBe('verify: 0 violations in 0 exchanges (0 in requests, 0 in responses)');
        expect(await eventually(() => tree.every((p) => !running(p.pid)), 10_000)).toBe(true);
      } finally {
        await run.cleanUp();
        await cluster.close();
      }
    });

    it.for(['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGKILL'] as const)('npm run verify, npm sent %s', async (signal, { expect }) => {
      const cluster = await startServer(keepsTheContract);
      const npm = start('npm', ['run', 'verify', '--', cluster.url, '--port', '0'], {
        env: { REDIS_USER: undefined, REDIS_PASSWORD: undefined },
      });
      const tree: { pid: number }[] = [];
      try {
        await npm.waitFor('(Ctrl-C stops it)', { timeoutMs: 40_000, in: 'both' });
        const port = Number(npm.output().match(/on http:\/\/127\.0\.0\.1:(\d+), checking/)![1]);
        tree.push(...processTree(npm.pid));
        expect(tree.length).toBe(2); // npm and Node (the script's shell `exec`s it), Prism inside it
        process.kill(npm.pid, signal);
        expect(await eventually(async () => tree.every((p) => !running(p.pid)) && !(await listening(port)), 10_000)).toBe(true);
      } finally {
        for (const p of tree) if (running(p.pid)) process.kill(p.pid, 'SIGKILL');
        await cluster.close();
      }
    });
  });

  describe('a cluster with a self-signed certificate', () => {
    const dir = mkdtempSync(join(tmpdir(), 'verify-tls-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const tls = { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };

    it('is checked once --ca names its certificate', async ({ expect }) => {
      const cluster = await startServer(keepsTheContract, tls);
      const { code, run } = await withVerify(cluster, ['--ca', join(dir, 'cert.pem')], async () => {});
      expect(cluster.requests.map((r) => r.method)).toEqual(['GET']);
      expect(run.output()).toContain(`GET ${PATH} -> 200\n`);
      expect(lines(run).at(-1)).toBe('verify: 0 violations in 1 exchange (0 in requests, 0 in responses)');
      expect(code).toBe(0);
    });

    it('is reported as not checked without it, naming the certificate problem', async ({ expect }) => {
      const cluster = await startServer(keepsTheContract, tls);
      const { code, run } = await withVerify(cluster, [], async () => {});
      expect(cluster.requests).toEqual([]); // the TLS handshake failed: no request got through
      expect(run.output()).toMatch(
        new RegExp(`GET ${PATH} -> 500 \\(not checked: request to ${cluster.url}${PATH} failed, reason: self[- ]signed certificate`),
      );
      expect(lines(run).at(-1)).toBe('verify: 0 violations in 1 exchange (0 in requests, 0 in responses); 1 not checked');
      expect(code).toBe(0);
    });
  });
});
