/**
 * Starts and stops a real Prism process: the mock (`npm run mock`), the tests' shared mock,
 * the verify proxy and the benchmarks all go through here.
 *
 * Prism's own entry point runs under this Node, in a process group of its own, so that
 * stopping it stops every child it forked (npx would leave its child running), with a guard
 * that ends it with its parent and keeps one odd request from ending it (prism-preload.cjs).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { killGroup } from './process-group.ts';
import { bin, generatedDir, root, toolEnv } from './project.ts';

export interface PrismOptions {
  /** `mock` serves examples from the spec; `proxy` forwards to `upstream` and checks both directions. */
  mode?: 'mock' | 'proxy';
  spec?: string;
  upstream?: string;
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Prism's log level; `info` logs every request. */
  logLevel?: 'info' | 'warn' | 'error' | 'silent';
  extraArgs?: string[];
  /** Called with each line Prism writes (stdout and stderr). */
  onLine?: (line: string) => void;
  /** How long Prism may take to answer its first request. */
  startTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export interface RunningPrism {
  url: string;
  host: string;
  port: number;
  pid: number;
  /** The last 64 KB of what Prism has written. */
  output: () => string;
  /** Stops Prism and every process it started; resolves once the group is gone. */
  stop: () => Promise<void>;
}

export const defaultSpec = `${generatedDir}/openapi.yaml`;

/** Marks startPrism's own readiness requests, which the request log (prism-preload.cjs) leaves out. */
const READINESS_PROBE_HEADER = 'x-readiness-probe';

export class PortInUseError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(`port ${port} on ${host} is already in use`);
  }
}

/** Asks the kernel for a free loopback port. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Fails with PortInUseError when something already listens on host:port. */
export function assertPortFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(host, port) : error),
    );
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

export async function startPrism(options: PrismOptions = {}): Promise<RunningPrism> {
  const host = options.host ?? '127.0.0.1';
  if (options.port) {
    await assertPortFree(host, options.port);
    return spawnPrism(options, host, options.port);
  }
  // A free port can be taken by another process before Prism binds it: then try another one.
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnPrism(options, host, await freePort(host));
    } catch (error) {
      if (attempt === 3 || !(error instanceof Error && error.message.includes('EADDRINUSE'))) throw error;
    }
  }
}

/** What is kept of Prism's output for error messages: its last lines, not all it ever printed. */
const OUTPUT_TAIL_CHARS = 64 * 1024;

async function spawnPrism(options: PrismOptions, host: string, port: number): Promise<RunningPrism> {
  const mode = options.mode ?? 'mock';
  const spec = options.spec ?? defaultSpec;
  const args = ['--require', `${root}scripts/lib/prism-preload.cjs`, bin.prism, mode, spec, ...(mode === 'proxy' ? [options.upstream!] : [])];
  args.push('--host', host, '--port', String(port), '--verboseLevel', options.logLevel ?? 'warn', ...(options.extraArgs ?? []));

  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...toolEnv, ...options.env },
    detached: true, // its own process group: one signal stops Prism and whatever it forks
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (const stream of [child.stdout!, child.stderr!]) {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      output = (output + chunk).slice(-OUTPUT_TAIL_CHARS);
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      for (const line of lines) options.onLine?.(line);
    });
  }

  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const stop = () => stopGroup(child, exited);
  try {
    await waitUntilAnswering(url, child, options.startTimeoutMs ?? 30_000, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, host, port, pid: child.pid!, output: () => output, stop };
}

async function waitUntilAnswering(url: string, child: ChildProcess, timeoutMs: number, output: () => string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Prism exited (${child.exitCode ?? child.signalCode}) before it answered:\n${output()}`);
    }
    try {
      // Any HTTP answer at all means Prism is serving; the status does not matter here.
      const response = await fetch(url, { headers: { [READINESS_PROBE_HEADER]: '1' }, signal: AbortSignal.timeout(1000) });
      await response.body?.cancel();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`Prism did not answer at ${url} within ${timeoutMs} ms. Its output:\n${output()}`);
}

async function stopGroup(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  killGroup(child.pid!, 'SIGTERM');
  const killed = setTimeout(() => killGroup(child.pid!, 'SIGKILL'), 3000);
  await exited;
  clearTimeout(killed);
  killGroup(child.pid!, 'SIGKILL'); // anything the group forked that ignored SIGTERM
}
