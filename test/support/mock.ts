/**
 * The mock as the tests start it: in this process through the package's library (most suites),
 * or as a real process through its bin (tools/mock-bin.ts, as every harness starts it), for what
 * only a process shows: its output, its signals and its exit. Also what a test needs to see that
 * a process is gone: every process it started, and its port.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { DEFAULTS } from 'redis-software-auditing-db-conns-mock';
import { basicAuth } from '../../src/index.ts';
import { LAUNCH, MOCK_BIN, startMockBin } from '../../tools/mock-bin.ts';

export { MOCK_BIN };

/** The mock's one user. */
export const MOCK_USER = { username: DEFAULTS.user.name, password: DEFAULTS.user.password };
export const MOCK_AUTH = basicAuth(MOCK_USER.username, MOCK_USER.password);
/** The mock's one bearer token when MOCK_TOKEN is not set. */
export const MOCK_TOKEN = DEFAULTS.user.token;

/** The README's `npm run mock`, or the bin straight under Node as `npx redis-auditing-mock` runs it. */
export type Launch = 'npm run mock' | 'redis-auditing-mock';

export function startMockProcess({ launch = 'npm run mock', args = [] }: { launch?: Launch; args?: string[] } = {}) {
  return startMockBin({ launch: launch === 'npm run mock' ? LAUNCH.npm() : LAUNCH.node(), args });
}

/** The process and every process under it, as `ps` sees them now. */
export function processTree(pid: number): { pid: number; args: string }[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/))
    .filter((match): match is RegExpMatchArray => match !== null)
    .map((match) => ({ pid: Number(match[1]), ppid: Number(match[2]), zombie: match[3]!.startsWith('Z'), args: match[4]! }));
  const tree = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const row of rows) {
      if (tree.has(row.ppid) && !tree.has(row.pid)) {
        tree.add(row.pid);
        grew = true;
      }
    }
  }
  return rows.filter((row) => tree.has(row.pid) && !row.zombie).map(({ pid, args }) => ({ pid, args }));
}

/**
 * Whether a process still runs: it has an entry in /proc, and is no zombie waiting to be reaped.
 * Read from /proc rather than asked of `ps`: the tests poll this every 50 ms while a process stops.
 */
export function running(pid: number): boolean {
  try {
    // "pid (name) state ...": the name may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
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

/** Polls until `condition` holds; false if it still does not after timeoutMs. */
export async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/**
 * Switches a database of the mock on, as a client does: `PUT /v1/bdbs/{uid}`. A new database
 * audits nothing, so records are sent only once this is done. `connection_and_crud` goes
 * through `connection` first (the docs: it "cannot be set without connection auditing
 * active"); before 8.2, `db_conns_auditing` true.
 */
export async function auditDatabase(
  fetch: (url: string, init: RequestInit) => Promise<Response>,
  mode: 'connection' | 'connection_and_crud' | 'before 8.2' = 'connection_and_crud',
  { base = 'https://cluster.example.com:9443', uid = 1 } = {},
): Promise<void> {
  const bodies =
    mode === 'before 8.2'
      ? [{ db_conns_auditing: true }]
      : [{ audit_settings: { audit_mode: 'connection' } }, ...(mode === 'connection' ? [] : [{ audit_settings: { audit_mode: mode } }])];
  for (const body of bodies) {
    const answer = await fetch(`${base}/v1/bdbs/${uid}`, {
      method: 'PUT',
      headers: { authorization: MOCK_AUTH, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (answer.status !== 200) throw new Error(`PUT /v1/bdbs/${uid} ${JSON.stringify(body)}: ${answer.status} ${await answer.text()}`);
  }
}
