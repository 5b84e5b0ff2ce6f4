/** What the two commands (the mock and verify) share: one-line usage errors, ports, and how they stop. */
import { PortInUseError } from './errors.js';

export function usageError(command: string, message: string, help: string): never {
  console.error(`${command}: ${message}; ${help} says how to use it`);
  process.exit(2);
}

/**
 * The one answer of both commands to a server that cannot start (a port in use above all): one
 * line, no stack trace, exit 2, as for a usage error: nothing was served.
 */
export function cannotStart(command: string, error: unknown, port: number): never {
  const hint = error instanceof PortInUseError ? `; stop what uses it or choose another with --port ${port + 1}` : '';
  console.error(`${command}: ${error instanceof Error ? error.message : String(error)}${hint}`);
  process.exit(2);
}

/** A port from an option or the environment: a whole number from `min` to 65535. */
export function portFrom(command: string, name: string, value: string | undefined, fallback: number, min = 0): number {
  const port = value === undefined || value === '' ? fallback : Number(value);
  if (!Number.isInteger(port) || port < min || port > 65535)
    usageError(command, `${name} must be a whole number from ${min} to 65535, got "${value}"`, 'redis-auditing-mock --help');
  return port;
}

/** Runs `stop` once: on SIGINT, SIGTERM or SIGHUP, or when the process that launched this one is gone. */
export function onShutdown(stop: () => Promise<void>): void {
  let stopping = false;
  const once = () => {
    if (stopping) return;
    stopping = true;
    void stop();
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, once);
  // A launcher killed outright (npm run mock, with npm sent SIGKILL, or dying of SIGHUP without
  // passing it on) tells its child nothing; the child is then handed to another parent. No
  // portable event says so (PR_SET_PDEATHSIG needs native code): a look at the parent every
  // half second keeps the mock from living on with no one to stop it.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && once(), 500).unref();
}
