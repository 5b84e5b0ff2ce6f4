/**
 * npm run test:runtimes: the client under the runtimes other than Node that the README says it
 * runs in, Deno and Bun, used as a user of each uses it: the packed package installed into a
 * fresh project, imported by its name, calling a real mock.
 *
 *   npm run test:runtimes                        both
 *   npm run test:runtimes -- --only deno         one of them
 *   npm run test:runtimes -- --report FILE       also writes {numPassedTests, numFailedTests, runtimes}
 *
 * The steps, in order:
 *
 * 1. Pack both packages and install the tarballs into a fresh project
 *    (tools/install-packed.ts), with Node's types for Deno's check of the cases; copy the cases
 *    (cases.ts, beside this file) there.
 * 2. For each runtime: install it at the version pinned below, once, into the project's cache
 *    (tools/cache.ts): the npm registry carries each runtime's binary as a package of its own
 *    (@deno/linux-x64-glibc, @oven/bun-linux-x64). They are not devDependencies: each is 100 MB
 *    that every `npm ci` would fetch for this one step, and a build for Linux x64 alone, which
 *    npm refuses to install elsewhere. `<runtime> --version` must name the pinned version.
 * 3. Start the installed mock's bin on a free port (tools/mock-bin.ts), a mock of the runtime's
 *    own since the cases change what it stores; run the runtime's own test runner in the project
 *    (`deno test`, `bun test`), which writes a JUnit report; stop the mock.
 * 4. Count every case the runtime's JUnit report names: passed when it passed, failed otherwise.
 *    A runtime with no report or no case counts one failure, and so does a runner that exits
 *    non-zero with every case passed; a case another runtime reports and this one does not counts
 *    as failed. Five cases and two runtimes: 10 passed when all is well.
 *
 * Deno runs with the narrowest permissions the cases allow: the network to the mock's address
 * alone, reads of the project alone, no environment (the mock comes as an argument), no prompt,
 * no lockfile, and no download (`--cached-only`): the package comes from the project's
 * node_modules (`--node-modules-dir=manual`), as npm installed it. Deno also type-checks the
 * cases against the package's types, under its default `strict`. Bun has no permissions.
 * Exit status: 0 when every case passed under every runtime selected.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { DEFAULTS } from 'redis-software-auditing-db-conns-mock';
import { npmPackage } from '../../tools/cache.ts';
import { LAUNCH, startMockBin } from '../../tools/mock-bin.ts';
import { packageJson, toolEnv } from '../../tools/project.ts';
import { type Installed, installPacked } from '../../tools/install-packed.ts';
import { type JunitCase, junitCases, junitCounts } from '../support/junit.ts';
import { type Counts, finishRun } from '../support/run-counts.ts';

/** The mock the cases run against, as the runtime's test file takes it (cases.ts). */
interface MockTarget {
  url: string;
  username: string;
  password: string;
}

interface Runtime {
  name: string;
  /** The npm package that carries the binary, its version (pinned), and the binary inside it. */
  package: string;
  version: string;
  bin: string;
  /** Its test file beside this one, copied beside cases.ts into the project. */
  testFile: string;
  /**
   * The test runner's arguments and environment, run in the project; it writes a JUnit report to
   * `report`, and keeps whatever it caches in `caches` (a folder of the run's, removed with it).
   */
  test: (run: { project: string; mock: MockTarget; report: string; caches: string }) => { args: string[]; env: Record<string, string> };
}

interface Result extends Counts {
  version: string;
  seconds: number;
  error?: string;
  cases?: JunitCase[];
}

const RUNTIMES: Runtime[] = [
  {
    name: 'deno',
    package: '@deno/linux-x64-glibc',
    version: '2.9.6',
    bin: 'deno',
    testFile: 'deno.test.ts',
    test: ({ project, mock, report, caches }) => ({
      args: [
        'test',
        '--no-prompt',
        '--no-lock',
        '--cached-only',
        '--node-modules-dir=manual',
        `--allow-net=${new URL(mock.url).host}`,
        `--allow-read=${project}`,
        `--junit-path=${report}`,
        'runtimes/deno.test.ts',
        '--',
        JSON.stringify(mock),
      ],
      // Deno's cache (its type check's, its transpiler's) in the run's scratch folder, removed with it.
      env: { DENO_DIR: join(caches, 'deno-dir'), DENO_NO_UPDATE_CHECK: '1' },
    }),
  },
  {
    name: 'bun',
    package: '@oven/bun-linux-x64',
    version: '1.4.5',
    bin: 'bin/bun',
    testFile: 'bun.test.ts',
    test: ({ mock, report, caches }) => ({
      args: ['test', '--reporter=junit', `--reporter-outfile=${report}`, './runtimes/bun.test.ts'],
      env: {
        AUDITING_MOCK: JSON.stringify(mock),
        // No telemetry or crash reports; Bun's caches in the run's scratch folder, removed with it.
        DO_NOT_TRACK: '1',
        BUN_INSTALL_CACHE_DIR: join(caches, 'install-cache'),
        BUN_RUNTIME_TRANSPILER_CACHE_PATH: '0',
      },
    }),
  },
];

const here = import.meta.dirname;

const { values } = parseArgs({ options: { only: { type: 'string' }, report: { type: 'string' } } });
const selected = values.only ? RUNTIMES.filter(({ name }) => values.only!.split(',').includes(name)) : RUNTIMES;
const started = performance.now();
const scratch = mkdtempSync(join(tmpdir(), 'runtimes-'));
const results = await runAll(selected, scratch).finally(() => rmSync(scratch, { recursive: true, force: true }));
finishRun('runtimes', countMissingCases(results), started, values.report, selected.length);

/** Every runtime in turn, in one project; should packing fail, every runtime counts one failure. */
async function runAll(runtimes: Runtime[], scratch: string): Promise<Record<string, Result>> {
  // The cases import node:assert and node:fs; Deno type-checks them with Node's types, which a
  // project whose node_modules npm installed must hold itself (Deno's "bring your own node_modules").
  const nodeTypes = `@types/node@${packageJson.devDependencies['@types/node']}`;
  const installed = await installPacked(join(scratch, 'packed'), { beside: [nodeTypes] }).catch((error: Error) => error);
  const results: Record<string, Result> = {};
  for (const runtime of runtimes) {
    results[runtime.name] =
      installed instanceof Error ? failure(runtime, 0, installed) : await runRuntime(runtime, installed, join(scratch, runtime.name));
    report(runtime, results[runtime.name]!);
  }
  return results;
}

/** Installs the runtime, runs its test file against a mock of its own, and counts its report. */
async function runRuntime(runtime: Runtime, installed: Installed, scratch: string): Promise<Result> {
  const t0 = performance.now();
  try {
    const bin = await installRuntime(runtime);
    const project = prepareProject(installed.project, runtime);
    const report = join(scratch, 'report.xml');
    const caches = join(scratch, 'caches');
    mkdirSync(caches, { recursive: true });
    const mock = await startMockBin({ launch: LAUNCH.node(installed.mockBin) });
    try {
      const target = { url: mock.url, username: DEFAULTS.user.name, password: DEFAULTS.user.password };
      console.log(`\n${runtime.name} ${runtime.version}, against the mock on ${mock.url}:`);
      const { args, env } = runtime.test({ project, mock: target, report, caches });
      const run = await execa(bin, args, {
        cwd: project,
        env: { ...toolEnv, NO_COLOR: '1', ...env },
        stdio: ['ignore', 'inherit', 'inherit'],
        reject: false,
        timeout: 120_000,
        forceKillAfterDelay: 3000,
      });
      const exit = run.exitCode === 0 ? undefined : run.timedOut ? 'timed out after 120 s' : `exited with ${run.exitCode ?? run.signal}`;
      return judge(runtime, junitCases(report), exit, t0);
    } finally {
      await mock.stop();
    }
  } catch (error) {
    return failure(runtime, t0, error as Error);
  }
}

/** The project holds the cases and the runtime's test file, under runtimes/. */
function prepareProject(project: string, runtime: Runtime): string {
  mkdirSync(join(project, 'runtimes'), { recursive: true });
  for (const file of ['cases.ts', runtime.testFile]) copyFileSync(join(here, file), join(project, 'runtimes', file));
  return project;
}

/** A report's counts; no case counts one failure, and so does a runner that failed with every case passed. */
function judge(runtime: Runtime, cases: JunitCase[], exit: string | undefined, t0: number): Result {
  const counts = cases.length ? junitCounts(cases) : { passed: 0, failed: 1 };
  const seconds = (performance.now() - t0) / 1000;
  if (!exit) return { version: runtime.version, ...counts, seconds, cases };
  if (counts.failed === 0)
    return {
      version: runtime.version,
      passed: counts.passed,
      failed: 1,
      seconds,
      cases,
      error: `${runtime.name} test ${exit}, though every case passed`,
    };
  return { version: runtime.version, ...counts, seconds, cases, ...(counts.passed === 0 && { error: `${runtime.name} test ${exit}` }) };
}

function failure(runtime: Runtime, t0: number, error: Error): Result {
  const seconds = t0 ? (performance.now() - t0) / 1000 : 0;
  return { version: runtime.version, passed: 0, failed: 1, seconds, error: error.message };
}

function report(runtime: Runtime, { passed, failed, seconds, error }: Result): void {
  console.log(`${runtime.name} ${runtime.version}: ${passed} passed, ${failed} failed (${seconds.toFixed(1)} s)`);
  if (error) console.log(`  ${error.split('\n').join('\n  ')}`);
}

/** A case that one runtime reports and another does not counts as failed for the other. */
function countMissingCases(results: Record<string, Result>): Record<string, Result> {
  const reported = Object.values(results).filter((result) => result.cases?.length);
  const everyCase = new Set(reported.flatMap((result) => result.cases!.map(({ name }) => name)));
  return Object.fromEntries(
    Object.entries(results).map(([name, { cases, ...result }]) => {
      if (!cases?.length) return [name, result];
      const missing = [...everyCase].filter((id) => !cases.some((testcase) => testcase.name === id));
      if (missing.length) console.log(`${name} did not report: ${missing.join('; ')}`);
      return [name, { ...result, failed: result.failed + missing.length }];
    }),
  );
}

/** The runtime's binary, installed on first use; throws unless `--version` names the pinned version. */
async function installRuntime(runtime: Runtime): Promise<string> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`${runtime.package} is a build for Linux x64; this machine is ${process.platform} ${process.arch}`);
  }
  const bin = join(await npmPackage(runtime.package, runtime.version), runtime.bin);
  const { stdout } = await execa(bin, ['--version'], { env: toolEnv, timeout: 30_000 });
  if (!stdout.includes(runtime.version)) throw new Error(`${bin} --version says ${stdout}, not ${runtime.version}`);
  return bin;
}
