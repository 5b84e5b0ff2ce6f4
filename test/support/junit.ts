/**
 * JUnit XML reports, the one format every other test runner here writes (pytest, Maven
 * Surefire, deno test, bun test): each test case, wherever it sits among nested suites, passed
 * unless it holds a failure, an error or a skip (no test may skip).
 */
import { existsSync, readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import type { Counts } from './run-counts.ts';

export interface JunitCase {
  name: string;
  passed: boolean;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (name) => name === 'testsuite' || name === 'testcase',
});

/** Every test case of the reports; a missing report has none. */
export function junitCases(...files: string[]): JunitCase[] {
  return files.filter((file) => existsSync(file)).flatMap((file) => casesIn(parser.parse(readFileSync(file, 'utf8'))));
}

function casesIn(node: Record<string, any>): JunitCase[] {
  const own = (node.testcase ?? []).map((testcase: Record<string, unknown>) => ({
    name: String(testcase.name),
    passed: !('failure' in testcase || 'error' in testcase || 'skipped' in testcase),
  }));
  const suites = [node.testsuites, ...(node.testsuite ?? [])].filter(Boolean);
  return [...own, ...suites.flatMap(casesIn)];
}

export function junitCounts(cases: JunitCase[]): Counts {
  const passed = cases.filter((testcase) => testcase.passed).length;
  return { passed, failed: cases.length - passed };
}
