/**
 * What a run of the mock or of verify saw, for CI: `--report FILE.json` (every exchange with
 * its violations, and the coverage: for each operation, how often each documented status, and
 * in the mock each named example, was seen) and `--junit FILE.xml` (each exchange a test case,
 * failed by its violations, for CI systems that read JUnit).
 */
import { writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import type { Violation } from './state.js';
import { dereferenced as spec } from './prism.js';
import type { VersionEvidence, VersionRange } from './versions.js';

/** The Redis Software versions a cluster's answers are consistent with (verify). */
export interface VersionsSeen extends VersionRange {
  /** False when no documented version fits every answer. */
  consistent: boolean;
  /** The range in words, such as "Redis Software 8.2 or later". */
  text: string;
  evidence: VersionEvidence[];
}

/** One exchange as a report lists it. */
export interface Seen {
  method: string;
  path: string;
  status: number;
  violations: Violation[];
  /** The operation of the contract it matched, by operationId. */
  operation?: string;
  /** The named example of the spec that it answered with, when one (the mock only). */
  example?: string;
}

export interface Coverage {
  [operationId: string]: {
    method: string;
    path: string;
    /** Each status the operation documents (`default` too), with how often it was seen; any other status seen beside them. */
    statuses: Record<string, number>;
    /** Each named example of its answers, with how often it was served (the mock only). */
    examples?: Record<string, number>;
  };
}

interface SpecOperation {
  operationId: string;
  responses: Record<string, { content?: Record<string, { examples?: Record<string, { value: unknown }> }> }>;
}

/** The spec's operations, read once: operationOf() runs on every request. */
const SPEC_OPERATIONS = Object.entries(spec.paths).flatMap(([path, item]) =>
  Object.entries(item as Record<string, SpecOperation>)
    .filter(([, operation]) => typeof operation?.operationId === 'string')
    .map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })),
);

/** The contract's operation an exchange is of, by method and path. */
export function operationOf(method: string, path: string): string | undefined {
  const pathname = path.split('?')[0];
  return SPEC_OPERATIONS.find((candidate) => candidate.method === method.toUpperCase() && candidate.path === pathname)?.operation
    .operationId;
}

/** The named example of the operation's answer with this status that the body is, if any. */
export function exampleOf(operationId: string | undefined, status: number, body: unknown): string | undefined {
  const found = SPEC_OPERATIONS.find((candidate) => candidate.operation.operationId === operationId);
  if (!found || body === undefined) return undefined;
  const response = found.operation.responses[String(status)] ?? found.operation.responses.default;
  const examples = response?.content?.['application/json']?.examples ?? {};
  return Object.entries(examples).find(([, example]) => isDeepStrictEqual(example.value, body))?.[0];
}

export function coverage(exchanges: Seen[], { examples }: { examples: boolean }): Coverage {
  const result: Coverage = {};
  for (const { path, method, operation } of SPEC_OPERATIONS) {
    const statuses = Object.fromEntries(Object.keys(operation.responses).map((status) => [status, 0]));
    const named = Object.values(operation.responses).flatMap((response) =>
      Object.keys(response.content?.['application/json']?.examples ?? {}),
    );
    result[operation.operationId] = {
      method,
      path,
      statuses,
      ...(examples ? { examples: Object.fromEntries(named.map((name) => [name, 0])) } : {}),
    };
  }
  for (const exchange of exchanges) {
    const entry = exchange.operation ? result[exchange.operation] : undefined;
    if (!entry) continue;
    const status = String(exchange.status);
    const key = status in entry.statuses || !('default' in entry.statuses) || exchange.status < 400 ? status : 'default';
    entry.statuses[key] = (entry.statuses[key] ?? 0) + 1;
    if (entry.examples && exchange.example) entry.examples[exchange.example] = (entry.examples[exchange.example] ?? 0) + 1;
  }
  return result;
}

export function writeReports(
  files: { report?: string; junit?: string },
  run: { tool: string; started: string; exchanges: Seen[]; examples: boolean; versions?: VersionsSeen },
): void {
  const violations = run.exchanges.reduce((total, exchange) => total + exchange.violations.length, 0);
  if (files.report) {
    const report = {
      tool: run.tool,
      started: run.started,
      stopped: new Date().toISOString(),
      violations,
      ...(run.versions ? { versions: run.versions } : {}),
      exchanges: run.exchanges,
      coverage: coverage(run.exchanges, { examples: run.examples }),
    };
    writeFileSync(files.report, `${JSON.stringify(report, null, 2)}\n`);
  }
  if (files.junit) writeFileSync(files.junit, junit(run.tool, run.exchanges, run.versions));
}

/**
 * JUnit XML: a test suite per operation, a test case per exchange, failed by its errors (its
 * warnings go to its system-out). Written here: the format is a dozen lines of XML, and the
 * libraries that write it would each add a dependency to every install of the mock.
 */
function junit(tool: string, exchanges: Seen[], versions?: VersionsSeen): string {
  const suites = new Map<string, Seen[]>();
  for (const exchange of exchanges) {
    const name = exchange.operation ?? 'outside the contract';
    suites.set(name, [...(suites.get(name) ?? []), exchange]);
  }
  const failed = (exchange: Seen) => exchange.violations.some((violation) => violation.severity === 'error');
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const extra = versions ? 1 : 0;
  const versionFailures = versions && !versions.consistent ? 1 : 0;
  lines.push(
    `<testsuites name="${xml(tool)}" tests="${exchanges.length + extra}" failures="${exchanges.filter(failed).length + versionFailures}">`,
  );
  for (const [name, cases] of suites) {
    lines.push(`  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${cases.filter(failed).length}">`);
    cases.forEach((exchange, index) => {
      const title = `#${index + 1} ${exchange.method} ${exchange.path} -> ${exchange.status}`;
      lines.push(`    <testcase classname="${xml(name)}" name="${xml(title)}">`);
      const errors = exchange.violations.filter((violation) => violation.severity === 'error');
      const warnings = exchange.violations.filter((violation) => violation.severity !== 'error');
      if (errors.length) {
        const text = errors.map((violation) => `${violation.where}: ${violation.what}`).join('\n');
        lines.push(`      <failure message="${xml(errors[0]!.what)}" type="contract violation">${xml(text)}</failure>`);
      }
      if (warnings.length)
        lines.push(`      <system-out>${xml(warnings.map((w) => `warning at ${w.where}: ${w.what}`).join('\n'))}</system-out>`);
      lines.push('    </testcase>');
    });
    lines.push('  </testsuite>');
  }
  if (versions) {
    // One case of its own: the versions the answers fit, with the evidence; failed when none fits.
    const why = versions.evidence.map((item) => `${item.method} ${item.path} -> ${item.status}: ${item.why}`).join('\n');
    lines.push(`  <testsuite name="redis software version" tests="1" failures="${versionFailures}">`);
    lines.push('    <properties>');
    if (versions.from) lines.push(`      <property name="from" value="${xml(versions.from)}"/>`);
    if (versions.before) lines.push(`      <property name="before" value="${xml(versions.before)}"/>`);
    lines.push('    </properties>');
    lines.push(`    <testcase classname="redis software version" name="${xml(`the answers fit ${versions.text}`)}">`);
    if (versionFailures) lines.push(`      <failure message="${xml(versions.text)}" type="version">${xml(why)}</failure>`);
    else if (why) lines.push(`      <system-out>${xml(why)}</system-out>`);
    lines.push('    </testcase>', '  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

const xml = (text: string) =>
  text
    .replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
    // XML 1.0 has no way to write the control characters but tab, newline and return.
    .replace(/[\p{Cc}]/gu, (c) => (c === '\t' || c === '\n' || c === '\r' ? c : ''));
