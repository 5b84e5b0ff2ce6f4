import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One Prism process for the whole run, shared by every suite that needs the mock.
    globalSetup: ['test/setup/prism.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: suites that spawn processes (Prism, Redocly, tsc) fight over them otherwise.
    maxWorkers: 2,
  },
});
