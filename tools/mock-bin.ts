/**
 * The one way the project starts the mock's bin as a program: the language, runtime and
 * schemathesis harnesses, the bench and the tests all start it here. It runs with `--json --port
 * 0`: the bin picks a free port and, once it listens, prints one JSON line, {"url", "docs",
 * "path"}, then one JSON object per exchange. Readiness is that line, never the banner's words.
 * `stop()` sends SIGTERM, as a harness does, and waits for the exit; should the starting process
 * end first (Ctrl-C), execa's cleanup stops the bin with it.
 */
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { execa } from 'execa';
import type { Exchange } from 'redis-software-auditing-db-conns-mock';
import { root, toolEnv } from './project.ts';

/** This checkout's bin, which `npm run mock` runs. */
export const MOCK_BIN = `${root}packages/mock/dist/cli.js`;

/** How the bin is launched; its own arguments follow. */
export const LAUNCH = {
  /** The bin under this Node: what `npx redis-auditing-mock` runs. */
  node: (bin = MOCK_BIN) => [process.execPath, bin],
  /** The README's `npm run mock`, in this checkout. */
  npm: () => ['npm', 'run', '--silent', 'mock', '--'],
  /** A file that runs by its shebang: the bin npm linked into an install's node_modules/.bin. */
  file: (file: string) => [file],
};

export interface MockBinOptions {
  /** The command before the bin's arguments (LAUNCH); this Node and this checkout's bin by default. */
  launch?: string[];
  /** More of the bin's arguments: --stateless, --report FILE... */
  args?: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** The bin's stderr, and its stdout up to the ready line, as they come. */
  onOutput?: (text: string) => void;
}

export interface MockBin {
  url: string;
  port: number;
  /** The contract's endpoint: url and path. */
  endpoint: string;
  docs: string;
  pid: number;
  /** Every exchange the bin has reported so far. */
  exchanges: () => Exchange[];
  /** What it printed on stderr so far. */
  stderr: () => string;
  /** Its exit code (null when a signal ended it) and the signal. */
  exited: Promise<[number | null, NodeJS.Signals | null]>;
  /** SIGTERM, as a harness stops it; SIGKILL should it linger 3 s. */
  stop: () => Promise<void>;
}

/** Starts the bin and waits, at most 60 s, for the line that says where it listens. */
export async function startMockBin({
  launch = LAUNCH.node(),
  args = [],
  env = {},
  cwd = root,
  onOutput,
}: MockBinOptions = {}): Promise<MockBin> {
  const [file, ...launchArgs] = launch;
  const child = execa(file!, [...launchArgs, '--json', '--port', '0', ...args], {
    cwd,
    env: { ...toolEnv, ...env },
    buffer: false,
    reject: false,
    forceKillAfterDelay: 3000,
  });
  let stderr = '';
  let stdout = '';
  const exchanges: Exchange[] = [];
  child.stderr!.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
    onOutput?.(text);
  });
  const exited: MockBin['exited'] = child.then(({ exitCode, signal }) => [exitCode ?? null, (signal as NodeJS.Signals) ?? null]);
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
  };
  const ready = new Promise<{ url: string; docs: string; path: string }>((resolve, reject) => {
    let listening = false;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (listening) return void exchanges.push(JSON.parse(line));
      stdout += `${line}\n`;
      onOutput?.(`${line}\n`);
      if (!line.startsWith('{')) return;
      listening = true;
      resolve(JSON.parse(line));
    });
    void exited.then(([code, signal]) => reject(new Error(`the mock exited (${code ?? signal}):\n${stdout}${stderr}`)));
  });
  // A timer that does not keep the process alive: it only matters while the mock starts.
  const timedOut = delay(60_000, undefined, { ref: false }).then(() => {
    throw new Error(`the mock did not say it listens within 60 s:\n${stdout}${stderr}`);
  });
  try {
    const { url, docs, path } = await Promise.race([ready, timedOut]);
    return {
      url,
      port: Number(new URL(url).port),
      endpoint: `${url}${path}`,
      docs,
      pid: child.pid!,
      exchanges: () => [...exchanges],
      stderr: () => stderr,
      exited,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
