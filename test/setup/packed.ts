/**
 * The integration project's packages as users get them: both packed and installed into a fresh
 * project once for the run (tools/install-packed.ts), and removed when it ends.
 *
 * Packing takes a while (each package's build), and most suites do not need
 * it: it runs in the background while they start, and the suites that need it wait for it with
 * `await packed()` (test/support/packed.ts), which reads what it wrote to `packedDir`.
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { installPacked } from '../../tools/install-packed.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    packedDir: string;
  }
}

export default function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'packed-'));
  project.provide('packedDir', dir);
  // npm test's pretest has just built both packages.
  const installing = installPacked(dir, { built: process.env.npm_lifecycle_event === 'test' }).then(
    (installed) => {
      // Whole or not at all: a suite may look for it at any moment.
      writeFileSync(join(dir, 'installed.json.part'), JSON.stringify(installed));
      renameSync(join(dir, 'installed.json.part'), join(dir, 'installed.json'));
    },
    (error: unknown) => writeFileSync(join(dir, 'failed.txt'), error instanceof Error ? (error.stack ?? error.message) : String(error)),
  );
  return async () => {
    await installing;
    rmSync(dir, { recursive: true, force: true });
  };
}
