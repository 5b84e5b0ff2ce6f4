/**
 * The integration project's shared Prism mock: one real Prism process for the run, stopped
 * (with every process it started) when the run ends. Suites reach it with `inject('prismUrl')`.
 * It starts only when a test file of this run asks for it, so a run of other suites (the docs,
 * the package) does not pay for a mock it never calls.
 */
import { readFileSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { startPrism } from '../../scripts/lib/prism.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    prismUrl: string;
    prismPid: number;
  }
}

export default async function setup(project: TestProject) {
  if (!runAsksForPrism(project)) return;
  const prism = await startPrism();
  project.provide('prismUrl', prism.url);
  project.provide('prismPid', prism.pid);
  return () => prism.stop();
}

/**
 * Whether a test file of this run calls `inject('prismUrl')`. Vitest knows the run's files
 * before it runs global setup (its `state` API, experimental, so vitest is pinned); when it
 * cannot say, or in watch mode (where a later run may add such a file), the mock starts.
 */
function runAsksForPrism(project: TestProject): boolean {
  if (project.vitest.config.watch) return true;
  const files = project.vitest.state.getPaths().filter((file) => project.matchesTestGlob(file));
  if (files.length === 0) return true;
  return files.some((file) => readFileSync(file, 'utf8').includes("inject('prismUrl')"));
}
