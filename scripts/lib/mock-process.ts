/**
 * The project's mock as `npm run mock` starts it (scripts/mock.ts), on a free port, for programs
 * that talk to it as a user's would: the language suites and the docs' samples. Each caller gets
 * a mock of its own, so that no one sees another's writes. `stop()` ends it with every process
 * it started.
 */
import { spawn } from 'node:child_process';
import { killGroup } from './process-group.ts';
import { freePort } from './prism.ts';
import { bin, root, toolEnv } from './project.ts';

export interface MockProcess {
  url: string;
  stop: () => Promise<void>;
}

export async function startMockProcess(onOutput: (text: string) => void = () => {}): Promise<MockProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [bin.tsx, 'scripts/mock.ts'], {
    cwd: root,
    env: { ...toolEnv, PORT: String(port), HOST: '127.0.0.1' },
    detached: true, // its own process group: one signal stops tsx, the mock and Prism
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    killGroup(child.pid!, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child.pid!, 'SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
    killGroup(child.pid!, 'SIGKILL'); // anything left in the group that ignored SIGTERM
  };
  let output = '';
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => ((output += chunk), onOutput(chunk)));
  }
  const url = `http://127.0.0.1:${port}`;
  try {
    // Ready once anything answers on the port (the status does not matter), not on a log line.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const exit = child.exitCode ?? child.signalCode;
      if (exit !== null) throw new Error(`the mock exited (${exit}):\n${output}`);
      if (Date.now() > deadline) throw new Error(`the mock did not answer on ${url} within 30 s:\n${output}`);
      try {
        // The header keeps the probe out of the mock's request log, as startPrism's own probe.
        const answer = await fetch(url, { headers: { 'x-readiness-probe': '1' }, signal: AbortSignal.timeout(1000) });
        await answer.body?.cancel();
        break;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}
