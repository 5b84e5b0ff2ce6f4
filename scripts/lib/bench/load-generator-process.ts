/**
 * The load generator's own process: it runs each load it is sent (see load-generator.ts) and
 * answers with the result, so that generating load never shares an event loop with the bench,
 * which also reads the mock's log as `npm run mock` does.
 */
import { runLoad, type LoadOptions } from './load.ts';

process.on('message', async ({ url, options }: { url: string; options: LoadOptions }) => {
  try {
    process.send!({ result: await runLoad(url, options) });
  } catch (error) {
    process.send!({ error: error instanceof Error ? error.message : String(error) });
  }
});
process.send!({ ready: true });
