/**
 * The HTTP servers the bench starts, each a process of its own on loopback: the bare server (the
 * baseline of every HTTP figure), the mock's bin, stateful and stateless (as `npm run mock` and
 * `npx redis-auditing-mock` run it, through tools/mock-bin.ts), and plain Prism's command line on
 * the same spec, the baseline the mock must keep up with. One more server is one more entry.
 */
import { execa } from 'execa';
import getPort from 'get-port';
import { DEFAULTS } from 'redis-software-auditing-db-conns-mock';
import { basicAuth } from '../src/index.ts';
import { startMockBin } from '../tools/mock-bin.ts';
import { PATH } from '../tools/page-examples.ts';
import { bin, root, toolEnv } from '../tools/project.ts';
import type { Report } from './report.ts';

export const AUTH_HEADERS = { Accept: 'application/json', Authorization: basicAuth(DEFAULTS.user.name, DEFAULTS.user.password) };

interface Launched {
  url: string;
  pid: number;
  /** Resolves when the process exits. */
  exited: Promise<unknown>;
  stop: () => Promise<void>;
}

export interface ServerKind {
  id: string;
  what: string;
  /** Whether the bench times its cold starts, and the target they are held to (none for a baseline). */
  coldStart?: { targetMs?: number };
  launch: () => Promise<Launched>;
}

export const SERVERS: ServerKind[] = [
  {
    id: 'bare',
    what: 'bare server',
    launch: () => launchProcess((port) => [process.execPath, '--import', 'tsx', 'bench/bare-server.ts', String(port)]),
  },
  { id: 'mock', what: 'redis-auditing-mock', coldStart: { targetMs: 2000 }, launch: () => startMockBin() },
  {
    id: 'mock.stateless',
    what: 'redis-auditing-mock --stateless',
    coldStart: { targetMs: 2000 },
    launch: () => startMockBin({ args: ['--stateless'] }),
  },
  {
    id: 'prism',
    what: 'prism mock --verboseLevel warn',
    coldStart: {},
    launch: () =>
      launchProcess((port) => [
        process.execPath,
        bin.prism,
        'mock',
        'generated/openapi.yaml',
        '--port',
        String(port),
        '--verboseLevel',
        'warn',
      ]),
  },
];

export interface Server {
  url: string;
  /** From the launch to the first 200 of the endpoint. */
  firstOkMs: number;
  stop: () => Promise<void>;
}

/** The servers of one run: each started server is recorded, the ones kept are loaded later, and all are stopped at the end. */
export class Servers {
  readonly started: Report['processes'] = [];
  readonly #kept = new Map<string, Server>();

  /** Launches a server and waits for its first 200. */
  async start(kind: ServerKind): Promise<Server> {
    const t0 = performance.now();
    const launched = await kind.launch();
    this.started.push({ what: kind.what, pid: launched.pid, port: Number(new URL(launched.url).port) });
    try {
      const exited = launched.exited.then(() => {
        throw new Error(`${kind.what}: exited before it answered`);
      });
      const firstOkMs = await Promise.race([firstOk(`${launched.url}${PATH}`, t0), exited]);
      return { url: launched.url, firstOkMs, stop: launched.stop };
    } catch (error) {
      await launched.stop();
      throw error;
    }
  }

  /** A server that stays up for the loads, started on first use unless one was kept already. */
  async get(id: string): Promise<Server> {
    if (!this.#kept.has(id)) this.keep(id, await this.start(SERVERS.find((kind) => kind.id === id)!));
    return this.#kept.get(id)!;
  }

  keep(id: string, server: Server): void {
    this.#kept.set(id, server);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.#kept.values()].map((server) => server.stop()));
    this.#kept.clear();
  }
}

/** Runs a server program on a free port (given in its command) with execa, which stops it should the bench end first. */
async function launchProcess(command: (port: number) => string[]): Promise<Launched> {
  const port = await getPort({ host: '127.0.0.1' });
  const [file, ...args] = command(port);
  const server = execa(file!, args, { cwd: root, env: toolEnv, stdio: 'ignore', forceKillAfterDelay: 10_000, reject: false });
  const stop = async () => {
    server.kill(); // SIGTERM; execa sends SIGKILL if it lingers
    await server;
  };
  return { url: `http://127.0.0.1:${port}`, pid: server.pid!, exited: server, stop };
}

/**
 * Asks for the endpoint every 20 ms until it answers 200. Written here because the figure is
 * this wait itself; a wait-for-port library would time the port opening, not the first answer.
 */
async function firstOk(url: string, t0: number): Promise<number> {
  for (;;) {
    if (performance.now() - t0 > 30_000) throw new Error(`${url}: no 200 within 30 s`);
    const status = await fetch(url, { headers: AUTH_HEADERS, signal: AbortSignal.timeout(1000) }).then(
      async (response) => {
        await response.arrayBuffer();
        return response.status;
      },
      () => 0,
    );
    if (status === 200) return performance.now() - t0;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
