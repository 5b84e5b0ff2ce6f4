/**
 * The integration project's packages as users get them: both packed and installed into a
 * fresh project once for the run (scripts/lib/packed.ts), and removed when it ends. Suites
 * reach it with `inject('packed')`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type Installed, installPacked } from '../../scripts/lib/packed.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    packed: Installed;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'packed-'));
  project.provide('packed', await installPacked(dir));
  return () => rmSync(dir, { recursive: true, force: true });
}
