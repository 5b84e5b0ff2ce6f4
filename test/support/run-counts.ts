/**
 * The end of a runner of tests in other tools (test:languages, test:runtimes): the counts of its
 * parts added up, printed, and written in vitest's report shape, which test/all.sh adds up.
 */
import { writeFileSync } from 'node:fs';

export interface Counts {
  passed: number;
  failed: number;
}

/**
 * Prints "<label>: N passed, N failed in S s", writes {numPassedTests, numFailedTests, <label>:
 * results} to `reportFile` when given, and exits 0 only when nothing failed and something was selected.
 */
export function finishRun(label: string, results: Record<string, Counts>, started: number, reportFile?: string, selected = 1): never {
  const total = { passed: 0, failed: 0 };
  for (const { passed, failed } of Object.values(results)) {
    total.passed += passed;
    total.failed += failed;
  }
  console.log(`${label}: ${total.passed} passed, ${total.failed} failed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (reportFile) {
    const report = { numPassedTests: total.passed, numFailedTests: total.failed, [label]: results };
    writeFileSync(reportFile, JSON.stringify(report, null, 2));
  }
  process.exit(total.failed === 0 && selected > 0 ? 0 : 1);
}
