/**
 * Ends a long-running command (`npm run mock`, `npm run verify`) however it is ended: SIGINT
 * (Ctrl-C), SIGTERM or SIGHUP to this process, or the end of the process that launched it.
 *
 * Why the last: `npm run mock` is npm, then the script's shell, then this Node. A harness's
 * `child.kill()`, `timeout` or a process manager signals npm alone. npm passes SIGINT and
 * SIGTERM to its child only, and a shell that waits for a command takes no action on them,
 * which is why package.json's scripts `exec` Node: npm's child is then this process. But npm
 * dies of SIGHUP without passing it on, and may be killed outright, leaving this process
 * running with no one to stop it. So it watches the processes that launched it, up to npm,
 * and stops when one is gone.
 * Linux gives a process no portable way to learn that (PR_SET_PDEATHSIG needs native code),
 * hence this small watch of /proc; elsewhere only the signals apply.
 */
import { readFileSync } from 'node:fs';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const WATCH_MS = 250;

/** Runs `stop` once, on the first of the signals or when a launching process is gone. */
export function onShutdown(stop: (reason: string) => Promise<void> | void): void {
  let stopping = false;
  const once = (reason: string) => {
    if (stopping) return;
    stopping = true;
    void stop(reason);
  };
  for (const signal of SIGNALS) process.on(signal, () => once(signal));

  const launchers = launchChain();
  if (launchers.length === 0) return;
  setInterval(() => {
    const gone = launchers.find((launcher) => !stillLaunching(launcher));
    if (gone) once(`${gone.name} (pid ${gone.pid}) is gone`);
  }, WATCH_MS).unref();
}

interface Launcher {
  pid: number;
  ppid: number;
  name: string;
}

/**
 * This process's parent, and on up while the parent was started by the same `npm run`: npm
 * hands `npm_lifecycle_event` to the script's shell and everything under it, not to itself,
 * so the chain ends with npm.
 */
function launchChain(): Launcher[] {
  const event = process.env.npm_lifecycle_event;
  const chain: Launcher[] = [];
  for (let pid = process.ppid; pid > 1; ) {
    const stat = readStat(pid);
    if (!stat) break;
    chain.push({ pid, ppid: stat.ppid, name: stat.name });
    if (!event || environmentOf(pid).get('npm_lifecycle_event') !== event) break;
    pid = stat.ppid;
  }
  return chain;
}

/** Still there, not a zombie, and still the child of the same parent (an orphan is adopted by another). */
function stillLaunching(launcher: Launcher): boolean {
  const stat = readStat(launcher.pid);
  return stat !== undefined && stat.state !== 'Z' && stat.ppid === launcher.ppid;
}

/** /proc/PID/stat is "pid (name) state ppid ..."; the name may hold spaces and parentheses. */
function readStat(pid: number): { name: string; state: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const [state, ppid] = stat.slice(close + 2).split(' ');
    return { name: stat.slice(stat.indexOf('(') + 1, close), state: state!, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

function environmentOf(pid: number): Map<string, string> {
  try {
    const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    return new Map(entries.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
  } catch {
    return new Map();
  }
}
