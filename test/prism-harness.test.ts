/**
 * The harness every Prism goes through (scripts/lib/prism.ts) is honest: a Prism it starts
 * answers, stop() leaves no process of Prism's behind and frees the port, and a Prism that
 * cannot start fails fast with Prism's own words and leaves nothing running.
 */
import { spawn } from 'node:child_process';
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
import { eventually, listening, processTree, running } from './support/mock.ts';

const auth = { authorization: `Basic ${btoa('admin@example.com:mock-password')}` };

async function withPrism(options: Parameters<typeof startPrism>[0], use: (prism: RunningPrism) => Promise<void>) {
  const prism = await startPrism(options);
  try {
    await use(prism);
  } finally {
    await prism.stop();
  }
  return prism;
}

// Each test starts its Prism on a port of its own: they run side by side, each checking with its own `expect`.
describe.concurrent('startPrism() and stop()', () => {
  it('starts a Prism on a free port that serves the spec, and stop() ends it and frees the port', async ({ expect }) => {
    let tree: { pid: number }[] = [];
    const prism = await withPrism({}, async (prism) => {
      expect(prism.url).toBe(`http://127.0.0.1:${prism.port}`);
      const response = await fetch(`${prism.url}${PATH}`, { headers: auth });
      expect(response.status).toBe(200);
      expect(await response.json()).toStrictEqual(PAGE_EXAMPLE);
      tree = processTree(prism.pid);
      expect(tree.map((p) => p.pid)).toEqual([prism.pid]);
    });
    // Prism is this process's child, so Node reaps it: it is gone when stop() resolves.
    expect(tree.filter((p) => running(p.pid))).toEqual([]);
    expect(await listening(prism.port)).toBe(false);
    await expect(fetch(prism.url)).rejects.toThrow(); // nothing listens any more
  });

  it('stops the processes Prism forks too (--multiprocess forks its HTTP server)', async ({ expect }) => {
    let tree: { pid: number; args: string }[] = [];
    const prism = await withPrism({ extraArgs: ['--multiprocess'] }, async (prism) => {
      expect((await fetch(`${prism.url}${PATH}`, { headers: auth })).status).toBe(200);
      tree = processTree(prism.pid);
    });
    expect(tree.length).toBeGreaterThanOrEqual(2);
    // The forked server leaves with Prism (prism-preload.cjs), and stop() waits for its port.
    expect(await listening(prism.port)).toBe(false);
    expect(await eventually(() => tree.every((p) => !running(p.pid)), 5000)).toBe(true);
    await prism.stop(); // a second stop is harmless
  });

  it("fails fast, with Prism's own output, when Prism cannot start, and leaves no process behind", async ({ expect }) => {
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
    expect(processTree(process.pid).filter((p) => p.args.includes(missingSpec))).toEqual([]);
  });

  it('ends with its parent when the parent is killed outright and cannot stop it', async ({ expect }) => {
    // A parent of its own, which starts Prism, prints its pid, and is then killed with SIGKILL.
    const script = join(tmpdir(), `prism-parent-${process.pid}-${Date.now()}.mts`);
    writeFileSync(
      script,
      `import { startPrism } from ${JSON.stringify(join(root, 'scripts/lib/prism.ts'))};\nconst prism = await startPrism();\nconsole.log(prism.pid);\nsetInterval(() => {}, 1000);\n`,
    );
    // tsx as a loader, not its CLI (which would run the script in a child of its own).
    const parent = spawn(process.execPath, ['--import', 'tsx', script], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let prismPid = 0;
    try {
      const [line] = (await once(parent.stdout!, 'data')) as [Buffer];
      prismPid = Number(line.toString().trim());
      expect(running(prismPid)).toBe(true);
      parent.kill('SIGKILL');
      expect(await eventually(() => !running(prismPid), 10_000)).toBe(true);
    } finally {
      parent.kill('SIGKILL');
      rmSync(script, { force: true });
      // Should the check fail, the Prism it found must not outlive the run either.
      if (prismPid && running(prismPid)) process.kill(prismPid, 'SIGKILL');
    }
  });

  it('says PortInUseError for a port that is already in use, and leaves nothing running', async ({ expect }) => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as { port: number };
    try {
      const error = await startPrism({ port }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PortInUseError);
      expect((error as Error).message).toBe(`port ${port} on 127.0.0.1 is already in use`);
      expect(processTree(process.pid).filter((p) => p.args.includes(`--port ${port} `))).toEqual([]);
    } finally {
      blocker.close();
    }
  });

  it('freePort() gives a port that nothing listens on, and that can be listened on', async ({ expect }) => {
    const port = await freePort();
    expect(await listening(port)).toBe(false);
    const server = createServer().listen(port, '127.0.0.1');
    await once(server, 'listening');
    try {
      expect((server.address() as { port: number }).port).toBe(port);
      expect(await listening(port)).toBe(true);
    } finally {
      server.close();
    }
  });
});

describe("the run's shared mock, inject('prismUrl')", () => {
  it('answers an authenticated GET with 200 and the page example', async () => {
    const response = await fetch(`${inject('prismUrl')}${PATH}`, { headers: auth });
    expect(response.status).toBe(200);
    expect(await response.json()).toStrictEqual(PAGE_EXAMPLE);
  });

  it('is a running Prism of this checkout', () => {
    const pid = inject('prismPid');
    expect(running(pid)).toBe(true);
    expect(processTree(pid)[0]?.args).toContain(`${root}node_modules/@stoplight/prism-cli`);
  });
});
