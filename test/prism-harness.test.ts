/**
 * The harness every Prism goes through (scripts/lib/prism.ts) is honest: a Prism it starts
 * answers, stop() leaves no process of Prism's group behind, and a Prism that cannot start
 * fails fast with Prism's own words and leaves nothing running.
 */
import { execFileSync, spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { PortInUseError, freePort, startPrism, type RunningPrism } from '../scripts/lib/prism.ts';
import { root } from '../scripts/lib/project.ts';
import { PATH } from './support/facts.ts';
import { PAGE_EXAMPLE } from './support/servers.ts';

const auth = { authorization: `Basic ${btoa('admin@example.com:mock-password')}` };

interface Process {
  pid: number;
  pgid: number;
  /** `ps` state: `Z` is a zombie, a process that has ended and waits only to be reaped. */
  state: string;
  args: string;
}

function processes(): Process[] {
  return execFileSync('ps', ['-eo', 'pid=,pgid=,stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/))
    .filter((match): match is RegExpMatchArray => match !== null)
    .map((match) => ({ pid: Number(match[1]), pgid: Number(match[2]), state: match[3]!, args: match[4]! }));
}

const membersOfGroup = (pgid: number) => processes().filter((p) => p.pgid === pgid);
/** Members still running: a zombie has ended already, and only its reaping is left. */
const runningMembersOfGroup = (pgid: number) => membersOfGroup(pgid).filter((p) => !p.state.startsWith('Z'));

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/** Signal 0 checks that a group exists without touching it; ESRCH means no process is left in it. */
function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

async function withPrism(options: Parameters<typeof startPrism>[0], use: (prism: RunningPrism) => Promise<void>) {
  const prism = await startPrism(options);
  try {
    await use(prism);
  } finally {
    await prism.stop();
  }
  return prism;
}

describe('startPrism() and stop()', () => {
  it('starts a Prism on a free port that serves the spec, and stop() ends its whole process group', async () => {
    const prism = await withPrism({}, async (prism) => {
      expect(prism.url).toBe(`http://127.0.0.1:${prism.port}`);
      const response = await fetch(`${prism.url}${PATH}`, { headers: auth });
      expect(response.status).toBe(200);
      expect(await response.json()).toStrictEqual(PAGE_EXAMPLE);
      expect(membersOfGroup(prism.pid).map((p) => p.pid)).toContain(prism.pid); // Prism leads a group of its own
    });
    // Prism is this process's child, so Node reaps it: the group is gone when stop() resolves.
    expect(groupExists(prism.pid)).toBe(false);
    expect(membersOfGroup(prism.pid)).toEqual([]);
    await expect(fetch(prism.url)).rejects.toThrow(); // nothing listens any more
  });

  it('stops the processes Prism forks too (--multiprocess forks its HTTP server)', async () => {
    let membersWhileRunning: Process[] = [];
    const prism = await withPrism({ extraArgs: ['--multiprocess'] }, async (prism) => {
      expect((await fetch(`${prism.url}${PATH}`, { headers: auth })).status).toBe(200);
      membersWhileRunning = runningMembersOfGroup(prism.pid);
    });
    expect(membersWhileRunning.length).toBeGreaterThanOrEqual(2);
    // Nothing of the group runs once stop() resolves...
    expect(runningMembersOfGroup(prism.pid)).toEqual([]);
    // ...but the forked server was Prism's child, not ours: once orphaned it is reaped by the
    // system's init, which on some machines does so only every few seconds. Until then it is a
    // zombie, and signal 0 still finds its group.
    expect(await waitFor(() => !groupExists(prism.pid), 15_000)).toBe(true);
    expect(membersOfGroup(prism.pid)).toEqual([]);
    await prism.stop(); // a second stop is harmless
  });

  it("fails fast, with Prism's own output, when Prism cannot start, and leaves no process behind", async () => {
    const missingSpec = join(tmpdir(), `no-such-spec-${process.pid}-${Date.now()}.yaml`);
    const bound = 20_000;
    const started = Date.now();
    const error = await startPrism({ spec: missingSpec, startTimeoutMs: bound }).catch((e: unknown) => e);
    const elapsed = Date.now() - started;

    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/^Prism exited \(1\) before it answered:/);
    expect(message).toContain(`Error opening file "${missingSpec}"`); // Prism's own words
    expect(message).toContain('ENOENT');
    expect(elapsed).toBeLessThan(bound); // it saw the exit rather than waiting out the bound
    expect(processes().filter((p) => p.args.includes(missingSpec))).toEqual([]);
  });

  it('ends with its parent when the parent is killed outright and cannot stop it', async () => {
    // A parent of its own, which starts Prism, prints its pid, and is then killed with SIGKILL.
    const script = join(tmpdir(), `prism-parent-${process.pid}-${Date.now()}.mts`);
    writeFileSync(script, `import { startPrism } from ${JSON.stringify(join(root, 'scripts/lib/prism.ts'))};\nconst prism = await startPrism();\nconsole.log(prism.pid);\nsetInterval(() => {}, 1000);\n`);
    // tsx as a loader, not its CLI (which would run the script in a child of its own).
    const parent = spawn(process.execPath, ['--import', 'tsx', script], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let prismPid = 0;
    try {
      const [line] = (await once(parent.stdout!, 'data')) as [Buffer];
      prismPid = Number(line.toString().trim());
      expect(groupExists(prismPid)).toBe(true);
      parent.kill('SIGKILL');
      expect(await waitFor(() => runningMembersOfGroup(prismPid).length === 0, 10_000)).toBe(true);
    } finally {
      parent.kill('SIGKILL');
      rmSync(script, { force: true });
      // Should the check fail, the Prism it found must not outlive the run either.
      if (prismPid && groupExists(prismPid)) process.kill(-prismPid, 'SIGKILL');
    }
  });

  it('refuses a port that is already in use before starting anything', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as { port: number };
    try {
      const error = await startPrism({ port }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PortInUseError);
      expect((error as Error).message).toBe(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('freePort() gives a port that can be listened on', async () => {
    const port = await freePort();
    const server = createServer().listen(port, '127.0.0.1');
    await once(server, 'listening');
    server.close();
  });
});

describe("the run's shared mock, inject('prismUrl')", () => {
  it('answers an authenticated GET with 200 and the page example', async () => {
    const response = await fetch(`${inject('prismUrl')}${PATH}`, { headers: auth });
    expect(response.status).toBe(200);
    expect(await response.json()).toStrictEqual(PAGE_EXAMPLE);
  });

  it('runs as the leader of its own process group', () => {
    const pid = inject('prismPid');
    expect(groupExists(pid)).toBe(true);
    expect(runningMembersOfGroup(pid).map((p) => p.pid)).toContain(pid);
  });
});
