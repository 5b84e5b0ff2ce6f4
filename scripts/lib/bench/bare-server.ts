/** Starts and stops the bare server (bare-server-process.ts) as a child process on loopback. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { root } from '../project.ts';

export interface BareServer {
  url: string;
  pid: number;
  stop: () => Promise<void>;
}

const entry = fileURLToPath(new URL('./bare-server-process.ts', import.meta.url));

export async function startBareServer(): Promise<BareServer> {
  // `--import tsx` runs the TypeScript file in this one process (the tsx command would add a parent).
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killed = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(killed);
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let output = '';
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (chunk: string) => {
        output += chunk;
        const match = output.match(/listening (\d+)/);
        if (match) resolve(Number(match[1]));
      });
      child.once('exit', (code) => reject(new Error(`the bare server exited (${code}) before it listened: ${output}`)));
      setTimeout(() => reject(new Error('the bare server did not listen within 30 s')), 30_000).unref();
    });
    return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
