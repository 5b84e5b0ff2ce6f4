/**
 * Wall time of commands as a user types them (`npm run build`, `npm test`), each in a process
 * group of its own so that a timeout stops everything it started.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { toolEnv } from '../project.ts';
import { killGroup } from '../process-group.ts';

/** Process groups of the commands running now, for stopRunningCommands(). */
const runningGroups = new Set<number>();

export interface TimedCommand {
  ms: number;
  status: number | null;
  output: string;
}

export async function timeCommand(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<TimedCommand> {
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...toolEnv, ...options.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid) runningGroups.add(child.pid);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  const timeout = setTimeout(() => killGroup(child.pid!, 'SIGKILL'), options.timeoutMs);
  try {
    const [status] = await exited;
    return { ms: performance.now() - started, status, output };
  } finally {
    clearTimeout(timeout);
    killGroup(child.pid!, 'SIGKILL'); // anything the command left behind
    runningGroups.delete(child.pid!);
  }
}

/** Stops every command still running, with everything it started (the bench calls it on Ctrl-C). */
export function stopRunningCommands(): void {
  for (const group of runningGroups) killGroup(group, 'SIGKILL');
  runningGroups.clear();
}

/** Fails with the command's output when it did not succeed. */
export function succeeded(what: string, run: TimedCommand): TimedCommand {
  if (run.status !== 0) throw new Error(`${what} failed (exit ${run.status}):\n${run.output.slice(-4000)}`);
  return run;
}

