/**
 * The runtime cases (cases.ts) under `deno test`, one Deno test each, in order. The harness
 * (test/runtimes/run.ts) gives the mock as the one argument after `--`, in JSON, so the run
 * needs no permission to read the environment.
 */
import { cases, type MockTarget } from './cases.ts';

// Deno's own global, declared here for the repository's type check (which knows Node's globals
// only); Deno's type check sees this declaration as well, and it agrees with Deno's types.
declare const Deno: { args: string[]; test: (name: string, fn: () => Promise<void>) => void };

const mock = JSON.parse(Deno.args[0] ?? 'null') as MockTarget | null;
if (!mock) throw new Error('deno.test.ts takes the mock as its argument: deno test deno.test.ts -- \'{"url": ...}\'');
for (const { name, run } of cases) Deno.test(name, () => run(mock));
