// Runs a command to completion, or watches one that keeps running; both through execa.
import { execa, execaSync, type ResultPromise } from 'execa';
import { root, toolEnv } from '../../tools/project.ts';

export interface Ran {
  status: number | null;
  output: string;
}

/** Runs a command to completion and returns what it printed, whatever its exit code. */
export function run(command: string, args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Ran {
  const result = execaSync(command, args, {
    cwd: options.cwd ?? root,
    env: toolEnv,
    timeout: options.timeoutMs ?? 120_000,
    reject: false,
    stripFinalNewline: false,
  });
  return { status: result.exitCode ?? null, output: `${result.stdout}${result.stderr}` };
}

export const node = (args: string[], options?: { cwd?: string; timeoutMs?: number }) => run(process.execPath, args, options);

export type Watched = ReturnType<typeof watch>;

/**
 * Starts a command that keeps running, and watches it: what it printed so far, its exit, and
 * a wait for a text to appear. execa stops it should the test run end first.
 */
export function start(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
  return watch(
    execa(command, args, { cwd: options.cwd ?? root, env: { ...toolEnv, ...options.env }, extendEnv: false, buffer: false, reject: false }),
  );
}

export function watch(child: ResultPromise<{ buffer: false; reject: false }>) {
  let stdout = '';
  let stderr = '';
  let both = '';
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
    both += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
    both += chunk;
  });
  const exited: Promise<[number | null, NodeJS.Signals | null]> = child.then((result) => [
    result.exitCode ?? null,
    (result.signal as NodeJS.Signals) ?? null,
  ]);
  /** Resolves once `text` is in the output (stdout alone, or both streams); fails if the child exits or time runs out first. */
  const waitFor = async (
    text: string,
    { timeoutMs = 30_000, in: where = 'stdout' }: { timeoutMs?: number; in?: 'stdout' | 'both' } = {},
  ) => {
    const deadline = Date.now() + timeoutMs;
    while (!(where === 'stdout' ? stdout : both).includes(text)) {
      if (Date.now() > deadline || child.exitCode !== null || child.signalCode !== null) throw new Error(`no "${text}" in:\n${both}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return { child, pid: child.pid!, exited, waitFor, stdout: () => stdout, stderr: () => stderr, output: () => both };
}
