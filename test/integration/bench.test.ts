/**
 * `npm run bench` in its smoke mode, as a real child process: every row is measured with a
 * finite number, every baseline in the same run, and every process the bench started is gone
 * (its port closed) when it exits. Timing targets are the full bench's business, never a test's.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../bench/report.ts';
import { listening } from '../support/mock.ts';
import { bin } from '../../tools/project.ts';
import { node, type Ran } from '../support/run.ts';

/** The rows the bench promises, in its order. */
const EXPECTED_ROWS = [
  'machine.node-startup',
  'client.get.vs-fetch',
  'client.get.vs-openapi-fetch',
  'client.get.vs-openapi-fetch-timeout',
  'client.update.validation.valid',
  'client.update.validation.invalid',
  'mock.cold-start',
  'mock.stateless.cold-start',
  'prism.cold-start',
  'mock.cold-start.vs-prism',
  'mock.library.second-start',
  'mock.throughput.vs-prism.sequential',
  'mock.throughput.vs-prism.concurrent',
  'mock.throughput.vs-bare.sequential',
  'mock.throughput.vs-bare.concurrent',
  'mock.throughput.vs-mock.stateless.sequential',
  'mock.throughput.vs-mock.stateless.concurrent',
  'mock.fetch.throughput.vs-http-mock',
  'mock.fetch.throughput.vs-bare',
  'build',
  'bundle.client.gzip',
  'install.size',
  'install.time',
  'mock.library.fresh-process',
];

const dir = mkdtempSync(join(tmpdir(), 'bench-'));
const reportFile = join(dir, 'report.json');
let ran: Ran;
let report: Report;

beforeAll(() => {
  ran = node([bin.tsx, 'bench/bench.ts', '--smoke', '--report', reportFile], { timeoutMs: 240_000 });
  expect(ran.status, ran.output).toBe(0);
  report = JSON.parse(readFileSync(reportFile, 'utf8'));
}, 250_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run bench -- --smoke', () => {
  it('reports every row, in order, as a smoke run on this machine', () => {
    expect(report.mode).toBe('smoke');
    expect(report.rows.map((row) => row.id)).toEqual(EXPECTED_ROWS);
    expect(report.machine.node).toBe(process.version);
    expect(report.machine.cores).toBeGreaterThan(0);
  });

  it('measures every row with a finite number, each baseline in the same run', () => {
    for (const row of report.rows) {
      expect(Number.isFinite(row.value), row.id).toBe(true);
      expect(row.value, row.id).toBeGreaterThan(0);
      if (row.baseline) expect(row.baseline.value, row.id).toBeGreaterThan(0);
    }
    const ratios = report.rows.filter((row) => row.unit === '×');
    expect(ratios.length).toBeGreaterThan(0);
    for (const ratio of ratios) expect(ratio.baseline, ratio.id).toBeDefined();
  });

  it('enforces no target in smoke mode, though every row has one but the baselines of their own and the figures only reported', () => {
    expect(report.rows.filter((row) => row.met !== null).map((row) => row.id)).toEqual([]);
    expect(report.rows.filter((row) => !row.target).map((row) => row.id)).toEqual([
      'machine.node-startup',
      'prism.cold-start',
      'mock.fetch.throughput.vs-bare',
      'install.time',
    ]);
    expect(ran.output).toContain('targets not enforced');
  });

  it('prints the table with a line per row', () => {
    for (const row of report.rows) expect(ran.output).toContain(`| ${row.what}`);
  });

  it('leaves none of the servers it started running, nor anything on their ports', async () => {
    expect(report.processes.map((started) => started.what)).toEqual([
      'bare server',
      'redis-auditing-mock',
      'redis-auditing-mock --stateless',
      'prism mock --verboseLevel warn',
    ]);
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(report.processes.filter(({ pid }) => alive(pid))).toEqual([]);
    for (const { what, port } of report.processes) expect(await listening(port!), `${what} on ${port}`).toBe(false);
  });
});
