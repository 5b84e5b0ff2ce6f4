import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The fast loop (`npm run test:fast`): the spec, its lint, the drift check of generated/, the
 * type check, the client's own tests (their servers run inside the test process) and its bundle
 * budget. No mock, no browser, no package install.
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

/** The suites that share one plain Prism mock for the run (`inject('prismUrl')`). */
const SHARED_MOCK = ['test/client-prism.test.ts', 'test/campaign.test.ts', 'test/prism-harness.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: suites that spawn processes (Prism, Redocly, tsc) fight over them otherwise.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'fast', include: FAST } },
      // Prism starts only when a suite of this project is in the run.
      { extends: true, test: { name: 'shared-mock', include: SHARED_MOCK, globalSetup: ['test/setup/prism.ts'] } },
      // Everything else, new test files included: real processes, the browser, the package.
      {
        extends: true,
        test: { name: 'integration', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...FAST, ...SHARED_MOCK] },
      },
    ],
  },
});
