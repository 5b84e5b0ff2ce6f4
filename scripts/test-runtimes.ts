/**
 * npm run test:runtimes: the client under the runtimes other than Node that the README says it
 * runs in, Deno and Bun, used as a user of each uses it: the packed package installed into a
 * fresh project, imported by its name, calling a real mock.
 *
 *   npm run test:runtimes                        both
 *   npm run test:runtimes -- --only deno         one of them
 *   npm run test:runtimes -- --report FILE       also writes {numPassedTests, numFailedTests, runtimes}
 *
 * What it does, in order:
 *
 * 1. Installs each runtime at the version pinned below, once, into ~/.cache/<runtime>-<version>,
 *    outside the project, as scripts/test-all.sh installs the Node builds. The npm registry
 *    carries each runtime's binary as a package of its own (@deno/linux-x64-glibc,
 *    @oven/bun-linux-x64). They are not devDependencies: each is 100 MB that every `npm ci`
 *    would fetch for this one step, and each is a build for Linux x64 alone, which npm refuses
 *    to install on any other machine. Then it runs `<runtime> --version`: a build that does not
 *    start on this machine fails here.
 * 2. Packs both packages and installs the tarballs into a fresh project (scripts/lib/packed.ts),
 *    and copies the cases (test/runtimes/cases.ts) and the runtime's test file there.
 * 3. For each runtime: starts the installed mock's bin under this Node on a free port
 *    (scripts/lib/mock-bin.ts), a mock of its own since the cases change what it stores; runs
 *    the runtime's own test runner in the project (`deno test`, `bun test`), which writes a
 *    JUnit report; stops the mock.
 * 4. Counts, for each runtime, every case its JUnit report names: passed when it passed, failed
 *    otherwise (failed or skipped); a case that another runtime reports and this one does not
 *    counts as failed, and a runtime with no report or no case (it would not install or start)
 *    counts one failure. A runner that exits non-zero with every case passed counts one more
 *    failure. Five cases and two runtimes: 10 passed when all is well.
 *
 * Deno runs with the narrowest permissions the cases allow: the network to the mock's address
 * alone, reads of the project alone, no environment (the mock comes as an argument), no prompt,
 * no lockfile, and no download (`--cached-only`): the package comes from the project's
 * node_modules (`--node-modules-dir=manual`), as npm installed it. Deno also type-checks the
 * cases against the package's types, under its default `strict`. Bun has no permissions.
 * Exit status: 0 when every case passed under every runtime selected.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { XMLParser } from 'fast-xml-parser';
import { DEFAULT_USER } from 'redis-software-auditing-db-conns-mock';
import { type MockBin, startMockBin, stopOnInterrupt } from './lib/mock-bin.ts';
import { installPacked } from './lib/packed.ts';
import { type Counts, finishRun } from './lib/run-counts.ts';
import { root, toolEnv } from './lib/project.ts';

/** The mock the cases run against, as the runtime's test file takes it (test/runtimes/cases.ts). */
interface MockTarget {
  url: string;
  username: string;
  password: string;
}

interface Runtime {
  name: string;
  /** The npm package that carries the binary, and its version, pinned. */
  package: string;
  version: string;
  /** The binary, inside the installed package. */
  bin: string;
  /** Its test file under test/runtimes/, copied beside cases.ts into the project. */
  testFile: string;
  /**
   * The test runner's arguments and environment, run in the project; it writes a JUnit report to
   * `report`, and keeps whatever it caches in `caches` (a folder of the run's, removed with it).
   */
  test: (run: { project: string; mock: MockTarget; report: string; caches: string }) => { args: string[]; env: Record<string, string> };
}

const runtimes: Runtime[] = [
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

const { values } = parseArgs({ options: { only: { type: 'string' }, report: { type: 'string' } } });
const selected = values.only ? runtimes.filter(({ name }) => values.only!.split(',').includes(name)) : runtimes;
const cache = join(homedir(), '.cache');

/** The cases each runtime's report names: every runtime runs the same cases.ts. */
const ran = new Map<string, Set<string>>();

// A run cut short (Ctrl-C) still stops the mock it started.
let runningMock: MockBin | undefined;
stopOnInterrupt(() => runningMock);

const started = performance.now();
const scratch = mkdtempSync(join(tmpdir(), 'runtimes-'));
const results: Record<string, Counts & { version: string; seconds: number; error?: string }> = {};
try {
  const installed = await installPacked(join(scratch, 'packed'));
  const project = installed.project;
  mkdirSync(join(project, 'runtimes'));
  copyFileSync(join(root, 'test/runtimes/cases.ts'), join(project, 'runtimes/cases.ts'));
  for (const runtime of selected) {
    const t0 = performance.now();
    let counts: Counts = { passed: 0, failed: 1 };
    let error: string | undefined;
    try {
      const bin = await installRuntime(runtime);
      copyFileSync(join(root, 'test/runtimes', runtime.testFile), join(project, 'runtimes', runtime.testFile));
      const report = join(scratch, `${runtime.name}.xml`);
      const caches = join(scratch, runtime.name);
      mkdirSync(caches);
      runningMock = await startMockBin(installed.mockBin);
      const mock = { url: runningMock.url, username: DEFAULT_USER.name, password: DEFAULT_USER.password };
      try {
        console.log(`\n${runtime.name} ${runtime.version}, against the mock on ${mock.url}:`);
        const { args, env } = runtime.test({ project, mock, report, caches });
        const run = await execa(bin, args, {
          cwd: project,
          env: { ...toolEnv, NO_COLOR: '1', ...env },
          stdio: ['ignore', 'inherit', 'inherit'],
          reject: false,
          timeout: 120_000,
          forceKillAfterDelay: 3000,
        });
        counts = junitCounts(report, runtime.name);
        if (run.exitCode !== 0) {
          const why = run.timedOut ? 'timed out after 120 s' : `exited with ${run.exitCode ?? run.signal}`;
          if (counts.failed === 0) {
            counts.failed = 1;
            error = `${runtime.name} test ${why}, though every case passed`;
          } else if (counts.passed === 0) error = `${runtime.name} test ${why}`;
        }
      } finally {
        await runningMock.stop();
        runningMock = undefined;
      }
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
    }
    const seconds = (performance.now() - t0) / 1000;
    results[runtime.name] = { version: runtime.version, ...counts, seconds, ...(error && { error }) };
    console.log(`${runtime.name} ${runtime.version}: ${counts.passed} passed, ${counts.failed} failed (${seconds.toFixed(1)} s)`);
    if (error) console.log(`  ${error.split('\n').join('\n  ')}`);
  }
} catch (caught) {
  // The packing or the project's install failed: every case of every runtime counts as failed.
  console.log(`${caught instanceof Error ? caught.message : caught}`);
  for (const runtime of selected) {
    results[runtime.name] ??= { version: runtime.version, passed: 0, failed: 1, seconds: 0, error: 'not run' };
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

// A case that one runtime reports and another does not counts as failed for the other.
const everyCase = new Set([...ran.values()].flatMap((names) => [...names]));
for (const [runtime, names] of ran) {
  const missing = [...everyCase].filter((name) => !names.has(name));
  if (missing.length === 0) continue;
  results[runtime]!.failed += missing.length;
  console.log(`${runtime} did not report: ${missing.join('; ')}`);
}

finishRun('runtimes', results, started, values.report, selected.length);

/** The runtime's binary, installed into ~/.cache on first use; throws unless `--version` names the pinned version. */
async function installRuntime(runtime: Runtime): Promise<string> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`${runtime.package} is a build for Linux x64; this machine is ${process.platform} ${process.arch}`);
  }
  const dir = join(cache, `${runtime.name}-${runtime.version}`);
  const bin = join(dir, 'node_modules', runtime.package, runtime.bin);
  if (!existsSync(bin)) {
    console.log(`installing ${runtime.package}@${runtime.version} into ${dir}`);
    const spec = `${runtime.package}@${runtime.version}`;
    await execa('npm', ['install', '--silent', '--no-save', '--no-package-lock', '--prefix', dir, spec], {
      env: toolEnv,
      stdio: 'inherit',
    });
  }
  const { stdout } = await execa(bin, ['--version'], { env: toolEnv, timeout: 30_000 });
  if (!stdout.includes(runtime.version)) throw new Error(`${bin} --version says ${stdout}, not ${runtime.version}`);
  return bin;
}

/**
 * The cases of a JUnit report (Deno's, Bun's), whose names it keeps in `ran`: passed when a
 * testcase has no failure, error or skipped element, failed when it has one; one failure when the
 * report is missing or names no case.
 */
function junitCounts(file: string, runtime: string): Counts {
  if (!existsSync(file)) return { passed: 0, failed: 1 };
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => name === 'testsuite' || name === 'testcase',
  });
  const xml = parser.parse(readFileSync(file, 'utf8'));
  const testcases: Record<string, unknown>[] = (xml.testsuites?.testsuite ?? []).flatMap(
    (suite: { testcase?: Record<string, unknown>[] }) => suite.testcase ?? [],
  );
  const passed = testcases.filter((testcase) => !('failure' in testcase || 'error' in testcase || 'skipped' in testcase));
  ran.set(runtime, new Set(testcases.map(({ name }) => String(name))));
  return testcases.length ? { passed: passed.length, failed: testcases.length - passed.length } : { passed: 0, failed: 1 };
}
