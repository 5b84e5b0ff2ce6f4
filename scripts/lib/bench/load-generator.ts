/** Starts the load generator (load-generator-process.ts) as a child process and sends it loads to run. */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { root } from '../project.ts';
import type { LoadOptions, LoadResult } from './load.ts';

export interface LoadGenerator {
  pid: number;
  run: (url: string, options: LoadOptions) => Promise<LoadResult>;
  stop: () => Promise<void>;
}

const entry = fileURLToPath(new URL('./load-generator-process.ts', import.meta.url));

type Reply = { ready?: true; result?: LoadResult; error?: string };

export async function startLoadGenerator(): Promise<LoadGenerator> {
  const child = fork(entry, [], { cwd: root, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = once(child, 'exit');
  const nextReply = () =>
    new Promise<Reply>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the load generator exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (reply: Reply) => {
        child.off('exit', onExit);
        resolve(reply);
      });
    });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await exited;
  };
  try {
    await nextReply(); // ready
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    pid: child.pid!,
    // One load at a time: the bench awaits each before sending the next.
    run: async (url, options) => {
      const reply = nextReply();
      child.send({ url, options });
      const { result, error } = await reply;
      if (!result) throw new Error(`the load generator failed: ${error}`);
      return result;
    },
    stop,
  };
}
