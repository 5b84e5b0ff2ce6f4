/**
 * Cold starts of the mock, timed to its first 200: Prism started through startPrism (as
 * scripts/mock.ts starts it), and the whole `npm run mock` process (tsx, then Prism).
 * A poller of its own asks for the endpoint every 20 ms, so the figure does not depend on how
 * often startPrism checks that Prism answers.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, startPrism, type PrismOptions, type RunningPrism } from '../prism.ts';
import { bin, root, toolEnv } from '../project.ts';
import { killGroup } from '../process-group.ts';
import { AUTH_HEADERS, PATH } from './page-example.ts';

const POLL_MS = 20;
const START_TIMEOUT_MS = 30_000;

/** Starts Prism and reports how long the endpoint took to first answer 200. */
export async function startPrismTimed(options: PrismOptions): Promise<{ prism: RunningPrism; firstOkMs: number }> {
  const port = await freePort();
  const polling = new AbortController();
  const started = performance.now();
  const firstOk = firstOkAfter(`http://127.0.0.1:${port}${PATH}`, started, polling.signal);
  firstOk.catch(() => {}); // awaited below; startPrism's own failure is the one reported
  try {
    const prism = await startPrism({ ...options, host: '127.0.0.1', port });
    try {
      return { prism, firstOkMs: await firstOk };
    } catch (error) {
      await prism.stop(); // not handed to the caller, so stopped here
      throw error;
    }
  } finally {
    polling.abort();
  }
}

/** Runs scripts/mock.ts (what `npm run mock` runs) on a free port, times its first 200, and stops it with Ctrl-C. */
export async function mockCommandFirstOk(onStarted: (pid: number) => void): Promise<number> {
  const port = await freePort();
  const polling = new AbortController();
  const started = performance.now();
  const child = spawn(process.execPath, [bin.tsx, 'scripts/mock.ts'], {
    cwd: root,
    env: { ...toolEnv, PORT: String(port) },
    stdio: 'ignore',
    detached: true, // a group of its own (tsx, the script), so the fallback below reaches all of it
  });
  onStarted(child.pid!);
  const exited = once(child, 'exit');
  const exitedFirst = exited.then(() => Promise.reject(new Error(`npm run mock exited with ${child.exitCode} before answering`)));
  exitedFirst.catch(() => {}); // it also rejects, harmlessly, when the mock is stopped below
  try {
    return await Promise.race([firstOkAfter(`http://127.0.0.1:${port}${PATH}`, started, polling.signal), exitedFirst]);
  } finally {
    polling.abort();
    // SIGINT is Ctrl-C: the mock stops Prism (and every process Prism started) before it exits.
    child.kill('SIGINT');
    const killed = setTimeout(() => killGroup(child.pid!, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(killed);
  }
}

async function firstOkAfter(url: string, started: number, stop: AbortSignal): Promise<number> {
  while (!stop.aborted) {
    if (performance.now() - started > START_TIMEOUT_MS) throw new Error(`no 200 from ${url} within ${START_TIMEOUT_MS} ms`);
    try {
      const response = await fetch(url, { headers: AUTH_HEADERS, signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.status === 200) return performance.now() - started;
    } catch {
      // not listening yet
    }
    await sleep(POLL_MS);
  }
  throw new Error('stopped before the first 200');
}
