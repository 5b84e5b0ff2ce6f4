import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The fast loop (`npm run test:fast`): the spec, its lint, the drift check of generated/, the
 * type check, the client's own tests (their servers run inside the test process) and its bundle
 * budget. No mock, no browser, no package install. Every other test file, new ones included, is `integration`.
 */
const FAST = [
  'test/spec.test.ts',
  'test/lint.test.ts',
  'test/generated.test.ts',
  'test/typecheck.test.ts',
  'test/client-input.test.ts',
  'test/client-faults.test.ts',
  'test/client-credentials.test.ts',
  'test/client-tls.test.ts',
  'test/size-limit.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: suites that spawn processes (Prism, Redocly, tsc) fight over them otherwise.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'fast', include: FAST } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...FAST],
          // The real Prism mock, shared by the suites that ask for it; started only when one runs.
          globalSetup: ['test/setup/prism.ts'],
        },
      },
    ],
  },
});
