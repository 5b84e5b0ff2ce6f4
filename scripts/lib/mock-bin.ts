/**
 * The mock's bin as a program that plays a user starts it (`npx redis-auditing-mock --port P`),
 * on a free port: the language suites, schemathesis and the docs' samples each get a mock of
 * their own, so that no one sees another's writes. `stop()` sends SIGTERM, as a harness does,
 * and waits for the exit.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { execa } from 'execa';
import getPort from 'get-port';
import { toolEnv } from './project.ts';

export interface MockBin {
  url: string;
  stop: () => Promise<void>;
}

export async function startMockBin(bin: string, { onOutput = () => {} }: { onOutput?: (text: string) => void } = {}): Promise<MockBin> {
  const port = await getPort({ host: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}`;
  const child = execa(process.execPath, [bin, '--port', String(port), '--host', '127.0.0.1'], {
    env: toolEnv,
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
      // The banner's last line names the URL with the contract's path.
      if (output.includes(`Try: curl`) && output.includes(`${url}/`)) resolve();
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

/** A run cut short (Ctrl-C, SIGTERM) still stops the mock it has running: `running()` says which. */
export function stopOnInterrupt(running: () => MockBin | undefined): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, async () => {
      await running()?.stop();
      process.exit(130);
    });
  }
}
