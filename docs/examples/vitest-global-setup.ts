// A vitest globalSetup that starts the mock once for the test run (vitest.config.ts:
// `test: { globalSetup: ['./mock-setup.ts'] }`); tests read its URL with inject('mockUrl').
import { startMock } from 'redis-software-auditing-db-conns-mock';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    mockUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const mock = await startMock(); // a free port on 127.0.0.1
  project.provide('mockUrl', mock.url);
  return () => mock.stop();
}
