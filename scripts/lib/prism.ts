/**
 * Starts and stops a real Prism process: the mock (`npm run mock`), the tests' shared mock,
 * the verify proxy and the benchmarks all go through here.
 *
 * Prism's own entry point runs under this Node (npx would leave its child running), through
 * execa: stop() sends SIGTERM, then SIGKILL if Prism has not gone within a few seconds, and
 * execa stops Prism too should this process exit without stop(). A guard loaded into Prism
 * (prism-preload.cjs) ends it with its parent when the parent is killed outright, keeps one odd
 * request from ending it, and, for the mock, keeps its state (mock-state.cjs).
 */
import { connect } from 'node:net';
import { execa } from 'execa';
import getPort from 'get-port';
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
  /** Stops Prism and every process it started; resolves once Prism has exited and its port is free. */
  stop: () => Promise<void>;
}

export const defaultSpec = `${generatedDir}/openapi.yaml`;

/** Marks startPrism's own readiness requests, which the request log (prism-preload.cjs) leaves out. */
const READINESS_PROBE_HEADER = 'x-readiness-probe';

/** How long Prism gets to leave after SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 3000;

export class PortInUseError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(`port ${port} on ${host} is already in use`);
  }
}

/** A free port on the host, from get-port. */
export const freePort = (host = '127.0.0.1'): Promise<number> => getPort({ host });

const portTaken = (error: unknown) => error instanceof Error && error.message.includes('EADDRINUSE');

export async function startPrism(options: PrismOptions = {}): Promise<RunningPrism> {
  const host = options.host ?? '127.0.0.1';
  if (options.port) {
    // Prism itself finds out that the port is taken, and says so as it exits.
    return spawnPrism(options, host, options.port).catch((error: unknown) => {
      throw portTaken(error) ? new PortInUseError(host, options.port!) : error;
    });
  }
  // A free port can be taken by another process before Prism binds it: then try another one.
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnPrism(options, host, await freePort(host));
    } catch (error) {
      if (attempt === 3 || !portTaken(error)) throw error;
    }
  }
}

/** What is kept of Prism's output for error messages: its last lines, not all it ever printed. */
const OUTPUT_TAIL_CHARS = 64 * 1024;

async function spawnPrism(options: PrismOptions, host: string, port: number): Promise<RunningPrism> {
  const mode = options.mode ?? 'mock';
  const spec = options.spec ?? defaultSpec;
  const args = [
    '--require',
    `${root}scripts/lib/prism-preload.cjs`,
    bin.prism,
    mode,
    spec,
    ...(mode === 'proxy' ? [options.upstream!] : []),
  ];
  args.push('--host', host, '--port', String(port), '--verboseLevel', options.logLevel ?? 'warn', ...(options.extraArgs ?? []));

  const prism = execa(process.execPath, args, {
    cwd: root,
    env: { ...toolEnv, ...options.env },
    extendEnv: false, // undefined in options.env removes a variable (verify keeps credentials out)
    stdin: 'ignore',
    all: true,
    buffer: false,
    reject: false,
    forceKillAfterDelay: STOP_GRACE_MS,
  });
  let output = '';
  let partial = '';
  // Split by hand rather than with execa's line iterator: the mock's request log is a line per
  // request, and this keeps reading it cheap under load.
  prism.all.setEncoding('utf8');
  prism.all.on('data', (chunk: string) => {
    output = (output + chunk).slice(-OUTPUT_TAIL_CHARS);
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const line of lines) options.onLine?.(line);
  });

  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const stop = async () => {
    prism.kill();
    await prism;
    // With --multiprocess a forked child serves; it leaves with Prism (prism-preload.cjs).
    await untilNothingListens(host, port, STOP_GRACE_MS);
  };
  try {
    await waitUntilAnswering(
      url,
      () => prism.exitCode ?? prism.signalCode,
      options.startTimeoutMs ?? 30_000,
      () => output,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, host, port, pid: prism.pid!, output: () => output, stop };
}

async function waitUntilAnswering(url: string, exited: () => number | string | null, timeoutMs: number, output: () => string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited() !== null) throw new Error(`Prism exited (${exited()}) before it answered:\n${output()}`);
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

/** Whether anything accepts a connection on host:port. */
export function listening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Resolves once a connection to host:port is refused, or after timeoutMs. */
async function untilNothingListens(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await listening(port, host))) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
