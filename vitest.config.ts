import { relative } from 'node:path';
import { configDefaults, defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The fast loop (`npm run test:fast`): the spec, its lint, the drift check of generated/, the
 * type check, the client's own tests (their servers run inside the test process), the audit
 * records' contract and parser (their listeners too) and the bundle budget. No mock, no browser, no
 * package install.
 */
const FAST = [
  'test/spec.test.ts',
  'test/lint.test.ts',
  'test/generated.test.ts',
  'test/typecheck.test.ts',
  'test/client-input.test.ts',
  'test/client-faults.test.ts',
  'test/client-credentials.test.ts',
  'test/client-token.test.ts',
  'test/client-mtls.test.ts',
  'test/client-tls.test.ts',
  'test/size-limit.test.ts',
  'test/records-contract.test.ts',
  'test/records-parser.test.ts',
  'test/records-transport.test.ts',
];

/**
 * The suites that take longest, longest first (measured on two cores), whatever their project:
 * started first, the other suites fill the gaps beside them and the run does not end waiting on
 * one of them. vitest would run them project by project, and on a fresh clone largest file first.
 */
const LONGEST_FIRST = [
  'test/verify.test.ts',
  'test/mock-command.test.ts',
  'test/docs.test.ts',
  'test/bench.test.ts',
  'test/package.test.ts',
  'test/campaign.test.ts',
  'test/breaking.test.ts',
  'test/languages/typescript/samples.test.ts',
  'test/client-faults.test.ts',
  'test/typecheck.test.ts',
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const index = LONGEST_FIRST.indexOf(relative(file.project.config.root, file.moduleId));
      return index === -1 ? LONGEST_FIRST.length : index;
    };
    // A stable sort: the rest keep vitest's own order after them.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    sequence: { sequencer: LongestFirst },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: suites that spawn processes (Prism, Redocly, tsc) fight over them otherwise.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'fast', include: FAST } },
      // Everything else, new test files included: mocks, real processes, the browser, the packages
      // (packed and installed once for the run, inject('packed')).
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...FAST],
          globalSetup: ['test/setup/packed.ts'],
        },
      },
    ],
  },
});
