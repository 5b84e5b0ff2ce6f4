// Runs a command to completion and returns what it printed, whatever its exit code.
import { spawnSync } from 'node:child_process';
import { root, toolEnv } from '../../scripts/lib/project.ts';

export interface Ran {
  status: number | null;
  output: string;
}

export function run(command: string, args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Ran {
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? root,
    env: toolEnv,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 120_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

export const node = (args: string[], options?: { cwd?: string; timeoutMs?: number }) => run(process.execPath, args, options);

/** Watches a running child: what it printed so far, its exit, and a wait for a text to appear. */
export function watch(child: import('node:child_process').ChildProcessWithoutNullStreams) {
  let stdout = '';
  let stderr = '';
  let both = '';
  child.stdout.on('data', (chunk) => ((stdout += chunk), (both += chunk)));
  child.stderr.on('data', (chunk) => ((stderr += chunk), (both += chunk)));
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (code, signal) => resolve([code, signal])));
  /** Resolves once `text` is in the output (stdout alone, or both streams); fails if the child exits or time runs out first. */
  const waitFor = async (text: string, { timeoutMs = 30_000, in: where = 'stdout' }: { timeoutMs?: number; in?: 'stdout' | 'both' } = {}) => {
    const deadline = Date.now() + timeoutMs;
    while (!(where === 'stdout' ? stdout : both).includes(text)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no "${text}" in:\n${both}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return { exited, waitFor, stdout: () => stdout, stderr: () => stderr, output: () => both };
}
