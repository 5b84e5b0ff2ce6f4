/**
 * The runtime cases (cases.ts) under `bun test`, one Bun test each, in order. The harness
 * (test/runtimes/run.ts) gives the mock in the variable AUDITING_MOCK, in JSON.
 */
import { test } from 'bun:test';
import { cases, type MockTarget } from './cases.ts';

const mock = JSON.parse(process.env.AUDITING_MOCK ?? 'null') as MockTarget | null;
if (!mock) throw new Error('bun.test.ts takes the mock in AUDITING_MOCK: AUDITING_MOCK=\'{"url": ...}\' bun test ./bun.test.ts');
for (const { name, run } of cases) test(name, () => run(mock));
