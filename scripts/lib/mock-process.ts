/**
 * The project's mock as `npm run mock` starts it (scripts/mock.ts), on a free port, for programs
 * that talk to it as a user's would: the language suites and the docs' samples. Each caller gets
 * a mock of its own, so that no one sees another's writes. The mock stops its Prism itself when
 * it is signalled (scripts/lib/shutdown.ts), so `stop()` signals it and waits for its exit.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { execa } from 'execa';
import getPort from 'get-port';
import { root, toolEnv } from './project.ts';

export interface MockProcess {
  url: string;
  stop: () => Promise<void>;
}

export async function startMockProcess(onOutput: (text: string) => void = () => {}): Promise<MockProcess> {
  const port = await getPort({ host: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}`;
  const child = execa(process.execPath, ['--import', 'tsx', 'scripts/mock.ts'], {
    cwd: root,
    env: { ...toolEnv, PORT: String(port), HOST: '127.0.0.1' },
    extendEnv: false,
    buffer: false,
    reject: false,
    forceKillAfterDelay: 3000, // SIGKILL should SIGTERM not end it
  });
  const stop = async () => {
    child.kill('SIGTERM');
    await child;
  };
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      onOutput(text);
      // The mock prints its URL once Prism answers.
      if (output.includes(`serving on ${url}`)) resolve();
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    void child.then(({ exitCode, signal }) => reject(new Error(`the mock exited (${exitCode ?? signal}):\n${output}`)));
  });
  // A timer that does not keep the process alive: it only matters while the mock starts.
  const timedOut = delay(60_000, undefined, { ref: false }).then(() => {
    throw new Error(`the mock did not answer on ${url} within 60 s:\n${output}`);
  });
  try {
    await Promise.race([ready, timedOut]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}
