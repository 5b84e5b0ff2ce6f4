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
