/**
 * npm run bench: the client, the mock, the build and the bundle, each measured against a
 * baseline in the same run (the machine may be shared and noisy), on loopback only.
 *
 *   npm run bench               several rounds, medians; every target checked
 *   npm run bench -- --smoke    one short round of every row, no targets (the test suite runs it)
 *
 * Libraries measure: mitata times calls, autocannon loads the HTTP servers, size-limit sizes the
 * bundle (the same budget `npm test` enforces), execa runs and stops every process. What is
 * written here is the plan: the steps below, in order, each returning its rows; a new row is a
 * new entry in a step's table, or a new step. Prints a table (progress goes to stderr) and writes
 * build/bench/report.json.
 */
import { parseArgs } from 'node:util';
import { root } from '../tools/project.ts';
import { clientLatency, validation } from './client.ts';
import type { Bench, Step } from './context.ts';
import { build, bundle } from './contract-build.ts';
import { FULL, SMOKE } from './plan.ts';
import { machine, meets, type Report, table, writeReport } from './report.ts';
import { Servers } from './servers.ts';
import { install } from './install.ts';
import { coldStarts, librarySecondStart, nodeStartup } from './startup.ts';
import { fetchThroughput, throughput } from './throughput.ts';

/** The steps, in the order of the table; the build and the bundle run once every server is stopped. */
const WITH_SERVERS: Step[] = [nodeStartup, clientLatency, validation, coldStarts, librarySecondStart, throughput, fetchThroughput];
const AFTER_SERVERS: Step[] = [build, bundle, install];

const { values: args } = parseArgs({ options: { smoke: { type: 'boolean' }, report: { type: 'string' } } });
const smoke = Boolean(args.smoke) || process.env.BENCH_SMOKE === '1';
const reportFile = args.report ?? `${root}build/bench/report.json`;

const report = await run(smoke);
writeReport(reportFile, report);
console.log(table(report));
const checked = report.rows.filter((row) => row.met !== null);
const verdict = smoke
  ? 'smoke run: targets not enforced.'
  : `targets met: ${checked.filter((row) => row.met).length} of ${checked.length}.`;
console.log(`\n${report.machine.cores} cores (${report.machine.cpu}), Node ${report.machine.node}; ${verdict}`);
console.log(`Report: ${reportFile}`);

/** Runs every step, with every server it started stopped before the last ones and whatever happens. */
async function run(smoke: boolean): Promise<Report> {
  const startedAt = new Date();
  const servers = new Servers();
  const rows: Report['rows'] = [];
  const bench: Bench = {
    plan: smoke ? SMOKE : FULL,
    progress: (message) => console.error(`bench${smoke ? ' (smoke)' : ''}: ${message}`),
    servers,
    nodeStartupMs: () => rows.find((row) => row.id === 'machine.node-startup')!.value,
  };
  const runSteps = async (steps: Step[]) => {
    for (const step of steps) {
      for (const row of await step(bench)) rows.push({ ...row, met: !smoke && row.target ? meets(row.value, row.target) : null });
    }
  };
  await runSteps(WITH_SERVERS).finally(() => servers.stopAll());
  await runSteps(AFTER_SERVERS);
  const mode = smoke ? 'smoke' : 'full';
  return {
    mode,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    machine: machine(),
    rows,
    processes: servers.started,
  };
}
