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
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the mock did not start within 30 s:\n${output}`)), 30_000);
      for (const stream of [child.stdout!, child.stderr!]) {
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => {
          output += chunk;
          onOutput(chunk);
          if (output.includes('serving on')) clearTimeout(timer), resolve();
        });
      }
      child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`the mock exited (${code}):\n${output}`))));
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `http://127.0.0.1:${port}`, stop };
}
