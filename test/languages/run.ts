/**
 * npm run test:languages: does, for Go, Python and Java, what a team in that language does with
 * the published packages. It packs both (`npm pack`) and installs the tarballs into a fresh
 * project, takes the spec files from there under the contract's export subpaths, generates a
 * client with the language's own generator (each pinned in the language's manifest under
 * test/languages/), compiles it, and runs the hand-written tests there against the installed
 * mock's bin (one on a free port per language, so that no language sees another's writes).
 * Python also generates models of the audit records from the packed audit-records.schema.json
 * (datamodel-code-generator) and receives records with them on a loopback listener (test_listener.py).
 * The tests run the spec's code samples of their language (openapi/code_samples/): Python's by
 * their paths (CODE_SAMPLES), Go's and Java's compiled into the test from the files (goSamples,
 * javaSamples), since a compiled language takes a fragment only inside a function.
 *
 *   npm run test:languages                          all three
 *   npm run test:languages -- --only go,python      some of them
 *   npm run test:languages -- --report FILE         also writes {numPassedTests, numFailedTests, languages}
 *
 * Generated clients go under build/languages/ (not committed). Downloads go into the project's
 * cache (tools/cache.ts): Go's modules, the Python tools in a virtual environment; Maven keeps
 * its repository in ~/.m2. A missing toolchain fails the run with what to install; nothing is
 * skipped.
 */
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execa, execaSync } from 'execa';
import semver from 'semver';
import { DEFAULTS } from 'redis-software-auditing-db-conns-mock';
import { basicAuth } from '../../src/index.ts';
import { goEnv, pythonVenv } from '../../tools/cache.ts';
import { codeSamplesOf } from '../../tools/code-samples.ts';
import { LAUNCH, startMockBin } from '../../tools/mock-bin.ts';
import { root, toolEnv } from '../../tools/project.ts';
import { installPacked } from '../../tools/install-packed.ts';
import { junitCases, junitCounts } from '../support/junit.ts';
import { type Counts, finishRun } from '../support/run-counts.ts';

interface Language {
  name: string;
  /** The export subpath of the spec file its generator reads, and why that one. */
  spec: string;
  /** Commands it needs on PATH, each with its minimum version and what to install. */
  toolchain: Toolchain[];
  /** Generates, compiles and tests in `dir` (a scratch copy of its folder beside this file). */
  run: (dir: string, specFile: string, mock: string, log: Log) => Promise<Counts>;
}

interface Toolchain {
  command: string;
  versionArgs: string[];
  minimum: number[];
  install: string;
}

type Log = (text: string) => void;

const { values } = parseArgs({ options: { only: { type: 'string' }, report: { type: 'string' } } });
const here = import.meta.dirname;
const buildDir = join(root, 'build', 'languages');
// The mock's user and its bearer token, as the mock package defines them.
const credentials = { REDIS_USER: DEFAULTS.user.name, REDIS_PASSWORD: DEFAULTS.user.password, REDIS_TOKEN: DEFAULTS.user.token };

const goMinimum = goVersionOfManifest();

const languages: Language[] = [
  {
    name: 'go',
    // oapi-codegen reads OpenAPI 3.0 only.
    spec: './openapi.3.0.json',
    toolchain: [{ command: 'go', versionArgs: ['version'], minimum: goMinimum, install: `Go ${goMinimum.join('.')} or later` }],
    async run(dir, specFile, mock, log) {
      // `go tool` runs the oapi-codegen that go.mod pins (its `tool` line), from the module cache.
      await exec('go', ['tool', 'oapi-codegen', '-config', 'oapi-codegen.yaml', specFile], { cwd: dir, log });
      writeFileSync(join(dir, 'samples_test.go'), goSamples());
      const events = await exec('go', ['test', '-count=1', '-json', '.'], { cwd: dir, log, env: mockEnv(mock), allowFailure: true });
      return goTestCounts(events);
    },
  },
  {
    name: 'python',
    // openapi-python-client reads OpenAPI 3.1.
    spec: './openapi.json',
    toolchain: [
      {
        command: 'python3',
        // The generated enums are StrEnum, new in Python 3.11; the tools go into a virtual environment.
        versionArgs: ['-c', 'import ensurepip, sys, venv; print(sys.version)'],
        minimum: [3, 11],
        install: 'Python 3.11 or later with venv (apt-get install python3 python3-venv)',
      },
    ],
    async run(dir, specFile, mock, log) {
      const venv = await pythonVenv(join(dir, 'requirements.txt'));
      // The generator formats its output with ruff, which it finds on PATH.
      const env = { PATH: `${venv}/bin:${process.env.PATH}`, VIRTUAL_ENV: venv };
      const generate = ['generate', '--path', specFile, '--output-path', 'auditing_client', '--meta', 'none'];
      await exec('openapi-python-client', generate, { cwd: dir, log, env });
      // The audit records' models, from the records' JSON Schema (pydantic v2).
      const models = ['--input', specPath(packageDir, './audit-records.schema.json'), '--input-file-type', 'jsonschema'];
      const style = ['--output-model-type', 'pydantic_v2.BaseModel', '--target-python-version', '3.11', '--formatters', 'builtin'];
      await exec('datamodel-codegen', [...models, ...style, '--disable-timestamp', '--output', 'audit_records.py'], { cwd: dir, log, env });
      const tests = ['-q', '-p', 'no:cacheprovider', '--junitxml=report.xml', 'test_client.py', 'test_listener.py'];
      await exec('pytest', tests, {
        cwd: dir,
        log,
        env: { ...env, ...mockEnv(mock), ...senderEnv(), PYTHONPATH: dir, CODE_SAMPLES: JSON.stringify(sampleFiles('Python')) },
        allowFailure: true,
      });
      return junitCounts(junitCases(join(dir, 'report.xml')));
    },
  },
  {
    name: 'java',
    // OpenAPI Generator reads both; it calls its 3.1 support beta, and makes the same client from 3.0.
    spec: './openapi.3.0.json',
    toolchain: [
      { command: 'javac', versionArgs: ['-version'], minimum: [17], install: 'a JDK 17 or later (apt-get install default-jdk-headless)' },
      { command: 'mvn', versionArgs: ['--version'], minimum: [3, 6], install: 'Maven 3.6 or later (apt-get install maven)' },
    ],
    async run(dir, specFile, mock, log) {
      // pom.xml pins the generator plugin, the client's dependencies and JUnit; Maven keeps them in ~/.m2.
      writeFileSync(join(dir, 'src', 'test', 'java', 'redis', 'auditing', 'Samples.java'), javaSamples());
      const maven = ['--batch-mode', '--quiet', 'test', `-Dauditing.spec=${specFile}`];
      await exec('mvn', maven, { cwd: dir, log, env: mockEnv(mock), allowFailure: true });
      const reports = join(dir, 'target', 'surefire-reports');
      const files = existsSync(reports) ? readdirSync(reports).filter((name) => /^TEST-.*\.xml$/.test(name)) : [];
      if (!files.length) throw new Error(`mvn ran no test (generation or compilation failed):\n${failureTail(join(buildDir, 'java.log'))}`);
      return junitCounts(junitCases(...files.map((name) => join(reports, name))));
    },
  },
];

const selected = values.only ? languages.filter(({ name }) => values.only!.split(',').includes(name)) : languages;

const started = performance.now();
const results: Record<string, Counts & { seconds: number; error?: string }> = {};
rmSync(buildDir, { recursive: true, force: true });
const installed = await installPacked(join(buildDir, 'packed'));
const packageDir = installed.contract;
for (const language of selected) {
  const t0 = performance.now();
  const logFile = join(buildDir, `${language.name}.log`);
  writeFileSync(logFile, '');
  const log: Log = (text) => writeFileSync(logFile, text, { flag: 'a' });
  let counts: Counts;
  let error: string | undefined;
  try {
    for (const tool of language.toolchain) checkToolchain(tool);
    const dir = join(buildDir, language.name);
    rmSync(dir, { recursive: true, force: true });
    cpSync(join(here, language.name), dir, { recursive: true });
    const mock = await startMockBin({ launch: LAUNCH.node(installed.mockBin), onOutput: (text) => log(`mock: ${text}`) });
    try {
      counts = await language.run(dir, specPath(packageDir, language.spec), mock.url, log);
    } finally {
      await mock.stop();
    }
    if (counts.passed + counts.failed === 0) throw new Error('no test ran');
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
    counts = { passed: 0, failed: 1 };
  }
  const seconds = (performance.now() - t0) / 1000;
  results[language.name] = { ...counts, seconds, ...(error && { error }) };
  const where = `${seconds.toFixed(1)} s, log: build/languages/${language.name}.log`;
  console.log(`${language.name.padEnd(7)} ${counts.passed} passed, ${counts.failed} failed  (${where})`);
  if (error) console.log(`        ${error.split('\n').join('\n        ')}`);
  else if (counts.failed) console.log(`        ${failureTail(logFile)}`);
}

finishRun('languages', results, started, values.report, selected.length);

/** The file that a consumer's `<package>/<subpath>` resolves to, by the packed package.json's exports. */
function specPath(packageDir: string, subpath: string): string {
  const { exports } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  const target = exports[subpath];
  if (typeof target !== 'string') throw new Error(`the packed package exports no ${subpath}`);
  return join(packageDir, target);
}

function checkToolchain({ command, versionArgs, minimum, install }: Toolchain): void {
  const ran = execaSync(command, versionArgs, { reject: false, all: true });
  if (ran.failed) throw new Error(`${command} not found or not working: install ${install}`);
  // `java -version` prints on stderr, the others on stdout; `go version` says go1.26.0.
  // The first dotted version in what it prints (Maven's banner starts with colour codes).
  const found = semver.coerce(/\d+\.\d+(?:\.\d+)?/.exec(ran.all ?? '')?.[0] ?? '');
  const wanted = semver.coerce(minimum.join('.'))!;
  if (!found || semver.lt(found, wanted))
    throw new Error(`${command} ${found ?? '(unknown version)'} is older than ${wanted}: install ${install}`);
}

/** The Go version go.mod asks for: `go tool` needs at least that one (GOTOOLCHAIN=local: no download). */
function goVersionOfManifest(): number[] {
  const line = readFileSync(join(here, 'go', 'go.mod'), 'utf8').match(/^go (\d+)\.(\d+)/m)!;
  return [Number(line[1]), Number(line[2])];
}

/** The files of a language's code samples, by operationId. */
function sampleFiles(lang: string): Record<string, string> {
  return Object.fromEntries([...codeSamplesOf(lang)].map(([operationId, { file }]) => [operationId, file]));
}

/** A sample's lines, indented to sit inside a function of the generated file. */
function indented(file: string, indent: string): string {
  return readFileSync(file, 'utf8')
    .trimEnd()
    .replace(/^(?=.)/gm, indent);
}

/**
 * The Go code samples as a file of the test package (samples_test.go): `samples[operationId]`
 * runs one, with ctx, cluster, user and password from client_test.go and the client it is given.
 * Each sits in a block of its own, so that the GET sample may declare the client it makes.
 */
function goSamples(): string {
  const packages = {
    fmt: 'fmt',
    http: 'net/http',
    securityprovider: 'github.com/oapi-codegen/oapi-codegen/v2/pkg/securityprovider',
    auditing: 'redis-software-auditing-db-conns/test/languages/go/auditing',
  };
  const samples = [...codeSamplesOf('Go').values()];
  const sources = samples.map(({ file }) => readFileSync(file, 'utf8')).join('\n');
  // Go refuses an import that no sample uses.
  const used = Object.entries(packages).filter(([name]) => name === 'auditing' || new RegExp(`\\b${name}\\.`).test(sources));
  const signature = 'func(client *auditing.ClientWithResponses) error';
  return [
    '// Code generated by test/languages/run.ts from openapi/code_samples/Go; DO NOT EDIT.',
    '',
    'package auditing_test',
    '',
    'import (',
    ...used.map(([, path]) => `\t"${path}"`).sort(), // as gofmt orders them
    ')',
    '',
    `var samples = map[string]${signature}{`,
    ...samples.map(({ operationId, file }) =>
      [`\t"${operationId}": ${signature} {`, '\t\t{', indented(file, '\t\t\t'), '\t\t}', '\t\treturn nil', '\t},'].join('\n'),
    ),
    '}',
    '',
  ].join('\n');
}

/**
 * The Java code samples as a class of the test package (Samples.java), a method for each, named
 * after its operationId: cluster, user and password are ClientTest's, and `auditing` the client a
 * test sets (the GET sample declares its own).
 */
function javaSamples(): string {
  const samples = [...codeSamplesOf('Java').values()];
  return [
    '// Generated by test/languages/run.ts from openapi/code_samples/Java: do not edit.',
    'package redis.auditing;',
    '',
    'import static redis.auditing.ClientTest.*;',
    '',
    'import redis.auditing.client.*;',
    'import redis.auditing.client.api.*;',
    'import redis.auditing.client.model.*;',
    '',
    'final class Samples {',
    '    static AuditingApi auditing;',
    ...samples.map(({ operationId, file }) =>
      ['', `    static void ${operationId}() throws Exception {`, indented(file, '        '), '    }'].join('\n'),
    ),
    '}',
    '',
  ].join('\n');
}

function mockEnv(url: string) {
  return { AUDITING_URL: url, ...credentials };
}

/**
 * The audit records' sender of the Python listener test (test_listener.py), as a JSON array
 * (command and arguments): the language's own mock, told by a PUT to send to the test's
 * listener, then made to simulate database connections (mock-sender.mjs, beside this file).
 */
function senderEnv() {
  return {
    AUDIT_SENDER: JSON.stringify([process.execPath, join(here, 'mock-sender.mjs')]),
    AUDITING_AUTHORIZATION: basicAuth(credentials.REDIS_USER, credentials.REDIS_PASSWORD),
  };
}

/** `go test -json`: one pass or fail event per test. */
function goTestCounts(events: string): Counts {
  const counts = { passed: 0, failed: 0 };
  for (const line of events.split('\n')) {
    if (!line.startsWith('{')) continue;
    const event = JSON.parse(line);
    if (event.Test && event.Action === 'pass') counts.passed += 1;
    if (event.Test && event.Action === 'fail') counts.failed += 1;
    if (!event.Test && event.Action === 'fail' && counts.failed === 0) counts.failed = 1; // a build failure
  }
  return counts;
}

/** Runs a command; resolves with its stdout, rejects with the end of its output when it fails (unless allowed). */
async function exec(
  command: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; log?: Log; allowFailure?: boolean },
): Promise<string> {
  options.log?.(`\n$ ${command} ${args.join(' ')}\n`);
  const child = execa(command, args, {
    cwd: options.cwd ?? root,
    env: { ...toolEnv, ...goEnv(), ...options.env },
    extendEnv: false,
    stdin: 'ignore',
    all: true,
    reject: false,
    stripFinalNewline: false,
  });
  child.all.setEncoding('utf8').on('data', (chunk: string) => options.log?.(chunk));
  const result = await child;
  if (result.exitCode === undefined) throw new Error(`${command} did not start: ${result.message}`);
  if (result.exitCode === 0 || options.allowFailure) return result.stdout;
  throw new Error(`${command} ${args.join(' ')} exited ${result.exitCode}:\n${result.all.trimEnd().split('\n').slice(-25).join('\n')}`);
}

function failureTail(logFile: string): string {
  const lines = readFileSync(logFile, 'utf8').split('\n');
  const failures = lines.filter((line) => /FAIL|FAILED|Error|error:|expected/i.test(line) && !line.startsWith('mock:'));
  return failures.slice(0, 15).join('\n        ');
}
