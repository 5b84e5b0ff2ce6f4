/**
 * `npm run bench` in its smoke mode, as a real child process: every row is measured with
 * finite numbers, every baseline is measured in the same run, and every process the bench
 * started is gone when it exits. Timing targets are the full bench's business, never a test's.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../scripts/lib/bench/report.ts';
import { bin } from '../scripts/lib/project.ts';
import { node, type Ran } from './support/run.ts';

/** The rows the bench promises, in its order. */
const EXPECTED_ROWS = [
  'machine.node-startup',
  'client.get.vs-fetch',
  'client.get.vs-openapi-fetch',
  'client.update.validation.valid',
  'client.update.validation.invalid',
  'mock.throughput.sequential',
  'mock.throughput.concurrent',
  'mock.cold-start',
  'mock.multiprocess.throughput.sequential',
  'mock.multiprocess.throughput.concurrent',
  'mock.multiprocess.cold-start',
  'mock.silent.throughput.sequential',
  'mock.silent.throughput.concurrent',
  'mock.silent.cold-start',
  'mock.command.cold-start',
  'bundle.client.gzip',
  'bundle.wrapper.gzip',
  'build',
  'pack.tarball',
  'pack.unpacked',
  'docs.page',
  'test',
];

const dir = mkdtempSync(join(tmpdir(), 'bench-'));
const reportFile = join(dir, 'report.json');
let ran: Ran;
let report: Report;

beforeAll(() => {
  // The smoke mode never runs the test suite, so this cannot recurse.
  ran = node([bin.tsx, 'scripts/bench.ts', '--smoke', '--report', reportFile], { timeoutMs: 240_000 });
  expect(ran.status, ran.output).toBe(0);
  report = JSON.parse(readFileSync(reportFile, 'utf8'));
}, 250_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const row = (id: string) => report.rows.find((candidate) => candidate.id === id)!;

describe('npm run bench -- --smoke', () => {
  it('reports every row, in order, as a smoke run on this machine', () => {
    expect(report.mode).toBe('smoke');
    expect(report.rows.map((candidate) => candidate.id)).toEqual(EXPECTED_ROWS);
    expect(report.machine.node).toBe(process.version);
    expect(report.machine.cores).toBeGreaterThan(0);
  });

  it('measures every row with a finite number, except the test suite it skips and a docs page not built', () => {
    for (const measured of report.rows.filter((candidate) => candidate.status === 'measured')) {
      expect(Number.isFinite(measured.value), measured.id).toBe(true);
      expect(measured.value, measured.id).toBeGreaterThanOrEqual(0);
    }
    const unmeasured = report.rows.filter((candidate) => candidate.status !== 'measured');
    expect(unmeasured.filter((candidate) => candidate.id !== 'docs.page').map((candidate) => [candidate.id, candidate.status])).toEqual([['test', 'skipped']]);
    expect(['measured', 'not built']).toContain(row('docs.page').status);
  });

  it('measures each baseline in the same run, and each ratio against it', () => {
    const withBaseline = report.rows.filter((candidate) => candidate.baseline);
    expect(withBaseline.map((candidate) => candidate.id)).toEqual(expect.arrayContaining(['client.get.vs-fetch', 'client.get.vs-openapi-fetch', 'mock.throughput.sequential', 'mock.throughput.concurrent', 'bundle.client.gzip']));
    for (const measured of withBaseline) {
      expect(Number.isFinite(measured.baseline!.value), measured.id).toBe(true);
      expect(measured.baseline!.value, measured.id).toBeGreaterThan(0);
    }
    for (const ratio of report.rows.filter((candidate) => candidate.unit === '×')) expect(ratio.value, ratio.id).toBeGreaterThan(0);
    // The wrapper's share is the whole bundle less openapi-fetch alone, both from this run.
    expect(row('bundle.wrapper.gzip').value).toBe(row('bundle.client.gzip').value! - row('bundle.client.gzip').baseline!.value);
  });

  it('enforces no target in smoke mode', () => {
    expect(report.rows.filter((candidate) => candidate.met !== null).map((candidate) => candidate.id)).toEqual([]);
    expect(ran.output).toContain('targets not enforced');
  });

  it('prints the table with a line per row', () => {
    for (const measured of report.rows) expect(ran.output).toContain(`| ${measured.what}`);
  });

  it('leaves none of the processes it started running', () => {
    expect(report.processes.map((started) => started.what)).toEqual(expect.arrayContaining(['bare server', 'load generator', 'npm run mock']));
    // The process itself, or any process of the group it leads (npm run mock's Prism, say).
    const exists = (target: number) => {
      try {
        process.kill(target, 0);
        return true;
      } catch {
        return false;
      }
    };
    const alive = report.processes.filter(({ pid }) => exists(pid) || exists(-pid));
    expect(alive).toEqual([]);
  });
});
