/**
 * npm run test:schemathesis: schemathesis, a peer's test tool, against the mock's bin from the
 * packed package, with all its checks: examples, positive and negative data from the schemas,
 * and its stateful phase, which follows the spec's links (PUT, then the GET that reads it back).
 *
 *   npm run test:schemathesis -- [--report FILE]
 *
 * Installs the pinned schemathesis (requirements.txt, beside this file) into a virtual
 * environment of the project's cache (tools/cache.ts), packs and installs both packages as a
 * user does, starts the installed mock on a free port, runs schemathesis with a fixed seed (a
 * failure can be replayed) on the installed spec, stops the mock the way a harness does
 * (SIGTERM), and writes {numPassedTests, numFailedTests} from schemathesis's own JSON report to
 * --report. Exit status: schemathesis's.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { DEFAULTS } from 'redis-software-auditing-db-conns-mock';
import { pythonVenv } from '../../tools/cache.ts';
import { LAUNCH, startMockBin } from '../../tools/mock-bin.ts';
import { toolEnv } from '../../tools/project.ts';
import { installPacked } from '../../tools/install-packed.ts';

const here = import.meta.dirname;
const SEED = 20251126;

const { values } = parseArgs({ options: { report: { type: 'string' } } });

const venv = await pythonVenv(join(here, 'requirements.txt'));
const reports = mkdtempSync(join(tmpdir(), 'schemathesis-'));
const installed = await installPacked(join(reports, 'packed'));
const mock = await startMockBin({ launch: LAUNCH.node(installed.mockBin) });

let exitCode = 1;
try {
  const run = await execa(
    join(venv, 'bin', 'st'),
    [
      '--config-file',
      join(here, 'schemathesis.toml'),
      'run',
      `${installed.contract}/generated/openapi.json`,
      '--url',
      mock.url,
      '--auth',
      `${DEFAULTS.user.name}:${DEFAULTS.user.password}`,
      '--checks',
      'all',
      '--seed',
      String(SEED),
      '--generation-database',
      'none',
      '--no-color',
      '--report',
      'json',
      '--report-json-path',
      `${reports}/report.json`,
    ],
    {
      cwd: reports,
      // hooks.py reads the documented error codes from the dereferenced spec, the installed one.
      env: { ...toolEnv, SCHEMATHESIS_HOOKS: 'hooks', PYTHONPATH: here, SPEC_DEREF: `${installed.contract}/generated/openapi.deref.json` },
      stdio: 'inherit',
      reject: false,
    },
  );
  exitCode = run.exitCode ?? 1;
  if (!existsSync(`${reports}/report.json`)) throw new Error(`schemathesis wrote no report (exit ${exitCode})`);
  const report = JSON.parse(readFileSync(`${reports}/report.json`, 'utf8')) as {
    test_cases: { generated: number; with_failures: number; errored: number };
    errors: unknown[];
  };
  const failed = report.test_cases.with_failures + report.test_cases.errored + report.errors.length;
  const counts = {
    numPassedTests: report.test_cases.generated - report.test_cases.with_failures - report.test_cases.errored,
    numFailedTests: failed || (exitCode === 0 ? 0 : 1),
  };
  console.log(`schemathesis: ${counts.numPassedTests} cases passed, ${counts.numFailedTests} failed`);
  if (values.report) writeFileSync(values.report, JSON.stringify(counts));
} finally {
  await mock.stop(); // SIGTERM, as a harness stops it
  rmSync(reports, { recursive: true, force: true });
}
process.exit(exitCode);
