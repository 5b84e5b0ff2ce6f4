import { defineConfig } from 'vitest/config';

/**
 * Two projects, by folder:
 * - `unit` (`npm run test:fast`): test/unit/ (the spec, its lint, the drift check of generated/,
 *   the type check, the bundle budget) and test/client/ (the client and the records' parser,
 *   against servers and sockets inside the test process). No mock, no browser, no package.
 * - `integration`: test/package/ (both packages packed and installed once for the run,
 *   `inject('packed')`), test/integration/ (the mock, its bin, verify, the docs in Chromium, the
 *   bench, the gate) and the TypeScript programs of test/languages/.
 * `npm run test:all` runs test/client/ and test/package/ again under each tested Node line.
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Two cores: suites that spawn processes (the mock's bin, Redocly, tsc) fight over them otherwise.
    maxWorkers: 2,
    // Each worker keeps its modules from one suite to the next: Prism, loaded by every suite that
    // starts a mock in process, costs a core-second or more to load. Suites restore whatever global
    // they change (spies, the environment), so none sees another's. test:fast is a fifth faster.
    isolate: false,
    // The mock package's built bundle is loaded by Node as it ships, as a dependency in
    // node_modules is: Vite would transform its 2.5 MB again in every worker.
    server: { deps: { external: [/\/packages\/mock\/dist\//] } },
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'test/client/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/package/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/languages/**/*.test.ts'],
          globalSetup: ['test/setup/packed.ts'],
        },
      },
    ],
  },
});
