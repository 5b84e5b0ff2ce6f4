/**
 * The shared-mock project's Prism: one real Prism process for the run, stopped (with every
 * process it started) when the run ends. Suites reach it with `inject('prismUrl')`.
 */
import type { TestProject } from 'vitest/node';
import { startPrism } from '../../scripts/lib/prism.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    prismUrl: string;
    prismPid: number;
  }
}

export default async function setup(project: TestProject) {
  const prism = await startPrism();
  project.provide('prismUrl', prism.url);
  project.provide('prismPid', prism.pid);
  return () => prism.stop();
}
