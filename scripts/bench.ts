/**
 * npm run bench: the client, the mock, the build and the bundle, each measured against a
 * baseline in the same run (the machine may be shared and noisy), on loopback only.
 *
 *   npm run bench               several rounds, medians; every target checked
 *   npm run bench -- --smoke    one short round of every row, no targets (the test suite runs it)
 *
 * Libraries measure: mitata times calls, autocannon loads the HTTP servers, size-limit sizes the
 * bundle (the same budget `npm test` enforces), execa runs and stops every process, each on a
 * port from get-port. What is written here is the plan: which figure is divided by which
 * baseline, round by round in turn, so that a slow moment of the machine weighs on both alike.
 * Prints a table (progress goes to stderr) and writes build/bench/report.json.
 */
import { deepStrictEqual } from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { execa, type Options } from 'execa';
import getPort from 'get-port';
import { measure } from 'mitata';
import createClient from 'openapi-fetch';
import { createAuditingClient, type paths, basicAuth } from '../src/index.ts';
import { updateProblems } from '../src/validation.ts';
import { PAGE_REQUEST_EXAMPLE, PAGE_RESPONSE_EXAMPLE, PATH } from './lib/page-examples.ts';
import { machine, meets, table, writeReport, type Report, type Row } from './lib/bench/report.ts';
import { bin, root, toolEnv } from './lib/project.ts';

const { values: args } = parseArgs({ options: { smoke: { type: 'boolean' }, report: { type: 'string' } } });
const smoke = Boolean(args.smoke) || process.env.BENCH_SMOKE === '1';
const REPORT_FILE = args.report ?? `${root}build/bench/report.json`;

/** How much of everything: the smoke run does each row once, as briefly as it can. */
interface Plan {
  nodeStartups: number;
  /** Rounds of every interleaved comparison (call latency, validation, load): many short ones, so that
   * a burst of other work on the machine lands on few of them. */
  rounds: number;
  /** mitata's options for one variant in one round (its times are in ns). */
  call: { min_cpu_time?: number; min_samples?: number; max_samples?: number; warmup_samples?: number };
  /** autocannon ends a load at its first sample tick after `seconds`, so a load lasts at least one
   * `sampleMs` (its default, 1000 ms, would make each 0.1 s smoke load a whole second). */
  load: { warmupSeconds: number; seconds: number; sampleMs: number };
  coldStarts: number;
  builds: number;
}
const plan: Plan = smoke
  ? {
      nodeStartups: 1,
      rounds: 1,
      call: { min_cpu_time: 0, min_samples: 2, max_samples: 4, warmup_samples: 1 },
      load: { warmupSeconds: 0, seconds: 0.1, sampleMs: 50 },
      coldStarts: 1,
      builds: 1,
    }
  : {
      nodeStartups: 10,
      rounds: 15,
      call: { min_cpu_time: 40e6 },
      load: { warmupSeconds: 2, seconds: 0.5, sampleMs: 1000 },
      coldStarts: 3,
      builds: 3,
    };

/**
 * The servers started for the cold starts and the loads, each a command on a free port: the
 * mock's bin (as `npm run mock` and `npx redis-auditing-mock` run it), stateful and stateless,
 * and plain Prism's command line on the same spec, the baseline the mock must keep up with.
 * One more server or comparison is one more line.
 */
const MOCK_BIN = 'packages/mock/dist/cli.js';
const MOCKS = [
  {
    id: 'mock',
    what: 'redis-auditing-mock',
    coldStartTargetMs: 2000,
    command: (port: number) => [process.execPath, MOCK_BIN, '--port', String(port)],
  },
  {
    id: 'mock.stateless',
    what: 'redis-auditing-mock --stateless',
    coldStartTargetMs: 2000,
    command: (port: number) => [process.execPath, MOCK_BIN, '--port', String(port), '--stateless'],
  },
  {
    id: 'prism',
    what: 'prism mock --verboseLevel warn',
    coldStartTargetMs: undefined, // the baseline
    command: (port: number) => [
      process.execPath,
      bin.prism,
      'mock',
      'generated/openapi.yaml',
      '--port',
      String(port),
      '--verboseLevel',
      'warn',
    ],
  },
];
const COMPARISONS = [
  { figure: 'mock', baseline: 'prism', what: 'mock req/s ÷ plain prism mock', target: 1 },
  { figure: 'mock', baseline: 'bare', what: 'mock req/s ÷ bare server', target: 0.5 },
  // What keeping the configuration costs: the stateful mock against its own --stateless.
  { figure: 'mock', baseline: 'mock.stateless', what: 'stateful mock req/s ÷ --stateless', target: 0.9 },
];
const CONNECTIONS = [1, 16];
/** The client's per-call timeout, given to the client and, as AbortSignal.timeout, to its baseline. */
const TIMEOUT_MS = 10_000;
/** What `npm run build:contract` reads; it writes generated/ and dist/ from them. */
const BUILD_INPUTS = [
  'package.json',
  'redocly.yaml',
  'tsconfig.json',
  'tsconfig.build.json',
  'openapi',
  'asyncapi',
  'scripts',
  'src',
  'packages/mock/admin.openapi.yaml',
];
const AUTH_HEADERS = { Accept: 'application/json', Authorization: basicAuth('admin@example.com', 'secret') };

const rows: Row[] = [];
const processes: Report['processes'] = [];
const startedAt = new Date();
const progress = (message: string) => console.error(`bench${smoke ? ' (smoke)' : ''}: ${message}`);

// ---------------------------------------------------------------------------------------------

const nodeStartupMs = await measureNodeStartup();
const servers = new Map<string, Server>();
try {
  servers.set('bare', await startServer('bare server', () => [process.execPath, '--import', 'tsx', 'scripts/lib/bench/bare-server.ts']));
  await measureClientLatency(servers.get('bare')!.url);
  await measureValidation();
  const coldStarts: Record<string, number> = {};
  for (const mock of MOCKS) {
    const { server, firstOkMs } = await measureColdStarts(mock);
    servers.set(mock.id, server);
    coldStarts[mock.id] = firstOkMs;
  }
  compareColdStarts(coldStarts);
  await measureSecondStart();
  await measureThroughput();
} finally {
  await Promise.all([...servers.values()].map((server) => server.stop()));
}
await measureBuild();
await measureBundle();

const report: Report = {
  mode: smoke ? 'smoke' : 'full',
  startedAt: startedAt.toISOString(),
  durationMs: Date.now() - startedAt.getTime(),
  machine: machine(),
  rows,
  processes,
};
writeReport(REPORT_FILE, report);
console.log(table(report));
const checked = rows.filter((row) => row.met !== null);
console.log(
  `\n${report.machine.cores} cores (${report.machine.cpu}), Node ${report.machine.node}; ` +
    (smoke ? 'smoke run: targets not enforced.' : `targets met: ${checked.filter((row) => row.met).length} of ${checked.length}.`),
);
console.log(`Report: ${REPORT_FILE}`);

// ---------------------------------------------------------------------------------------------

/** Adds a row; in a full run, says whether its target is met. */
function add(row: Omit<Row, 'met'>) {
  rows.push({ ...row, met: !smoke && row.target ? meets(row.value, row.target) : null });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The median, over rounds, of each round's figure divided by the same round's baseline. */
function medianRatio(figures: readonly number[], baselines: readonly number[]): number {
  return median(figures.map((figure, round) => figure / baselines[round]!));
}

/** The list turned by `round` places, so that no variant always runs first in a round. */
function rotate<T>(items: readonly T[], round: number): T[] {
  return [...items.slice(round % items.length), ...items.slice(0, round % items.length)];
}

/** The machine's own speed in this run: how long Node takes to start and exit doing nothing. */
async function measureNodeStartup(): Promise<number> {
  progress('node startup');
  const times: number[] = [];
  for (let round = 0; round < plan.nodeStartups; round++) times.push((await execa(process.execPath, ['-e', '0'])).durationMs);
  add({ id: 'machine.node-startup', what: 'node -e 0 (machine baseline)', value: median(times), unit: 'ms', data: { times } });
  return median(times);
}

/** The median time of one call of each variant, in ns, per round; variants take turns within a round. */
async function medianPerRound(variants: Record<string, () => unknown>): Promise<Record<string, number[]>> {
  const perRound: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
  for (let round = 0; round < plan.rounds; round++) {
    for (const name of rotate(Object.keys(variants), round)) perRound[name]!.push((await measure(variants[name]!, plan.call)).p50);
  }
  return perRound;
}

/**
 * auditing.get() against raw fetch, bare openapi-fetch, and openapi-fetch with the same
 * timeout as the client's, all sending the same headers to the bare server and reading the same JSON.
 */
async function measureClientLatency(baseUrl: string) {
  progress('client latency');
  const auditing = createAuditingClient({ baseUrl, username: 'admin@example.com', password: 'secret', timeoutMs: TIMEOUT_MS });
  const bare = createClient<paths>({ baseUrl, headers: AUTH_HEADERS });
  const variants = {
    fetch: async () => (await fetch(`${baseUrl}${PATH}`, { headers: AUTH_HEADERS })).json(),
    openapiFetch: async () => (await bare.GET(PATH)).data,
    openapiFetchTimeout: async () => (await bare.GET(PATH, { signal: AbortSignal.timeout(TIMEOUT_MS) })).data,
    client: () => auditing.get(),
  };
  // A comparison means something only when every variant gets the page example back.
  for (const [name, call] of Object.entries(variants)) deepStrictEqual(await call(), PAGE_RESPONSE_EXAMPLE, name);
  const ns = await medianPerRound(variants);
  const us = (name: keyof typeof variants) => median(ns[name]!) / 1000;
  const detail =
    `median per call: auditing.get() ${us('client').toFixed(1)} µs, raw fetch ${us('fetch').toFixed(1)} µs, ` +
    `openapi-fetch ${us('openapiFetch').toFixed(1)} µs, with timeout ${us('openapiFetchTimeout').toFixed(1)} µs`;
  const baselines = [
    { id: 'vs-fetch', name: 'fetch', what: 'raw fetch', target: 1.1 },
    { id: 'vs-openapi-fetch', name: 'openapiFetch', what: 'bare openapi-fetch', target: 1.02 },
    { id: 'vs-openapi-fetch-timeout', name: 'openapiFetchTimeout', what: 'openapi-fetch with the same timeout', target: 1.03 },
  ] as const;
  for (const { id, name, what, target } of baselines) {
    add({
      id: `client.get.${id}`,
      what: `auditing.get() latency ÷ ${what}`,
      value: medianRatio(ns.client!, ns[name]!),
      unit: '×',
      baseline: { what, value: us(name), unit: 'µs' },
      target: { comparison: '<=', value: target, unit: '×' },
      detail,
      data: { perRoundNs: ns },
    });
  }
}

/**
 * What update() adds before anything is sent: updateProblems(body) per call, against
 * JSON.stringify of the same body, which every PUT does anyway.
 */
async function measureValidation() {
  progress('validation');
  const cases = [
    { id: 'valid', what: 'a valid body (the page example)', body: PAGE_REQUEST_EXAMPLE as unknown, problems: 0 },
    {
      id: 'invalid',
      what: 'an invalid body (3 problems)',
      body: { audit_protocol: 'udp', audit_port: 'x', audit_colour: 'red' },
      problems: 3,
    },
  ];
  for (const { id, what, body, problems } of cases) {
    deepStrictEqual(updateProblems(body).length, problems, `the ${id} body`);
    const ns = await medianPerRound({ validate: () => updateProblems(body), stringify: () => JSON.stringify(body) });
    add({
      id: `client.update.validation.${id}`,
      what: `update() validation per call, ${what}`,
      value: median(ns.validate!) / 1000,
      unit: 'µs',
      baseline: { what: 'JSON.stringify(body)', value: median(ns.stringify!) / 1000, unit: 'µs' },
      target: { comparison: '<', value: 20, unit: 'µs' },
      detail: `${medianRatio(ns.validate!, ns.stringify!).toFixed(2)}× JSON.stringify of the same body`,
      data: { perRoundNs: ns },
    });
  }
}

interface Server {
  url: string;
  /** From spawn to the first 200 of the endpoint. */
  firstOkMs: number;
  stop: () => Promise<void>;
}

/** Runs a server program on a free port (given in its command, and as PORT) and waits for its first 200. */
async function startServer(what: string, command: (port: number) => string[]): Promise<Server> {
  const port = await getPort({ host: '127.0.0.1' });
  const [file, ...commandArgs] = command(port);
  const env = { ...toolEnv, PORT: String(port) };
  const options: Options = { cwd: root, env, preferLocal: true, stdio: 'ignore', forceKillAfterDelay: 10_000, reject: false };
  const started = performance.now();
  const server = execa(file!, commandArgs, options);
  processes.push({ what, pid: server.pid!, port });
  const stop = async () => {
    server.kill(); // SIGTERM; execa sends SIGKILL if it lingers
    await server;
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    return { url, firstOkMs: await firstOk(`${url}${PATH}`, started, () => server.exitCode !== null), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Asks for the endpoint every 20 ms until it answers 200. Written here because the figure is
 * this wait itself; a wait-for-port library would time the port opening, not the first answer.
 */
async function firstOk(url: string, started: number, exited: () => boolean): Promise<number> {
  for (;;) {
    if (exited()) throw new Error(`${url}: the server exited before it answered`);
    if (performance.now() - started > 30_000) throw new Error(`${url}: no 200 within 30 s`);
    const status = await fetch(url, { headers: AUTH_HEADERS, signal: AbortSignal.timeout(1000) }).then(
      async (response) => {
        await response.arrayBuffer();
        return response.status;
      },
      () => 0,
    );
    if (status === 200) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Starts a mock `coldStarts` times, timing each to its first 200; the last one stays up for the load. */
async function measureColdStarts(mock: (typeof MOCKS)[number]): Promise<{ server: Server; firstOkMs: number }> {
  progress(`${mock.what}: cold start`);
  const times: number[] = [];
  for (let start = 1; ; start++) {
    const server = await startServer(mock.what, mock.command);
    times.push(server.firstOkMs);
    if (start === plan.coldStarts) {
      add({
        id: `${mock.id}.cold-start`,
        what: `${mock.what}: spawn to first 200`,
        value: median(times),
        unit: 'ms',
        baseline: { what: 'node -e 0', value: nodeStartupMs, unit: 'ms' },
        target: mock.coldStartTargetMs === undefined ? undefined : { comparison: '<', value: mock.coldStartTargetMs, unit: 'ms' },
        detail: `${(median(times) / nodeStartupMs).toFixed(1)}× node startup; ${mock.command(0).join(' ')}`,
        data: { times },
      });
      return { server, firstOkMs: median(times) };
    }
    await server.stop();
  }
}

/** The mock's bin against plain Prism's command line, spawn to first 200. */
function compareColdStarts(coldStarts: Record<string, number>) {
  add({
    id: 'mock.cold-start.vs-prism',
    what: 'redis-auditing-mock spawn to first 200 ÷ plain prism mock',
    value: coldStarts.mock! / coldStarts.prism!,
    unit: '×',
    baseline: { what: 'prism mock', value: coldStarts.prism!, unit: 'ms' },
    target: { comparison: '<=', value: 1, unit: '×' },
    detail: `${Math.round(coldStarts.mock!)} ms vs ${Math.round(coldStarts.prism!)} ms`,
    data: coldStarts,
  });
}

/** A second startMock() in a process that already has one: what each further mock of a test suite costs. */
async function measureSecondStart() {
  progress('startMock(): a second mock in the same process');
  const { startMock } = await import('redis-software-auditing-db-conns-mock');
  let started = performance.now();
  const first = await startMock();
  const firstMs = performance.now() - started;
  const times: number[] = [];
  for (let i = 0; i < Math.max(plan.coldStarts * 5, 3); i++) {
    started = performance.now();
    const second = await startMock();
    times.push(performance.now() - started);
    await second.stop();
  }
  await first.stop();
  add({
    id: 'mock.library.second-start',
    what: 'startMock() while another mock runs in the process',
    value: median(times),
    unit: 'ms',
    baseline: { what: 'the first startMock() (Prism loaded)', value: firstMs, unit: 'ms' },
    target: { comparison: '<', value: 50, unit: 'ms' },
    detail: `${(median(times) / firstMs).toFixed(3)}× the first`,
    data: { times, firstMs },
  });
}

/** Requests per second of one autocannon load; a figure made of failed requests is no figure. */
async function requestsPerSecond(server: string, connections: number, seconds: number): Promise<number> {
  const result = await autocannon({
    url: `${servers.get(server)!.url}${PATH}`,
    connections,
    headers: AUTH_HEADERS,
    duration: seconds,
    sampleInt: plan.load.sampleMs,
  });
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > 0) throw new Error(`${server}: ${failed} of ${result.requests.total} requests failed`);
  return (result.requests.total * 1000) / (result.finish.getTime() - result.start.getTime());
}

/** Every server under load in turn, round by round, with 1 and with 16 connections. */
async function measureThroughput() {
  const names = [...servers.keys()];
  if (plan.load.warmupSeconds > 0) {
    progress('load warm-up');
    for (const name of names) await requestsPerSecond(name, 16, plan.load.warmupSeconds);
  }
  const perSecond: Record<string, number[]> = {};
  for (let round = 0; round < plan.rounds; round++) {
    progress(`load round ${round + 1} of ${plan.rounds}`);
    for (const name of rotate(names, round)) {
      for (const connections of CONNECTIONS) {
        const key = `${name}@${connections}`;
        perSecond[key] = [...(perSecond[key] ?? []), await requestsPerSecond(name, connections, plan.load.seconds)];
      }
    }
  }
  for (const { figure, baseline, what, target } of COMPARISONS) {
    for (const connections of CONNECTIONS) {
      const [figures, baselines] = [perSecond[`${figure}@${connections}`]!, perSecond[`${baseline}@${connections}`]!];
      add({
        id: `${figure}.throughput.vs-${baseline}.${connections === 1 ? 'sequential' : 'concurrent'}`,
        what: `${what}, ${connections === 1 ? '1 connection' : `${connections} connections`}`,
        value: medianRatio(figures, baselines),
        unit: '×',
        baseline: { what: baseline === 'bare' ? 'bare server' : baseline, value: median(baselines), unit: 'req/s' },
        target: target === undefined ? undefined : { comparison: '>=', value: target, unit: '×' },
        detail: `median ${Math.round(median(figures))} req/s vs ${Math.round(median(baselines))} req/s`,
        data: { figurePerSecond: figures, baselinePerSecond: baselines, connections },
      });
    }
  }
}

/**
 * `npm run build` as a user types it, in a throwaway copy of its inputs (sharing node_modules):
 * the build rewrites generated/ and dist/, which a test suite running beside the bench may read.
 */
async function measureBuild() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-build-'));
  try {
    for (const input of BUILD_INPUTS) cpSync(join(root, input), join(dir, input), { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const times: number[] = [];
    for (let build = 1; build <= plan.builds; build++) {
      progress(`npm run build:contract ${build} of ${plan.builds}`);
      times.push((await execa('npm', ['run', 'build:contract'], { cwd: dir, env: toolEnv })).durationMs);
    }
    add({
      id: 'build',
      what: 'npm run build:contract wall time',
      value: median(times),
      unit: 'ms',
      baseline: { what: 'node -e 0', value: nodeStartupMs, unit: 'ms' },
      target: { comparison: '<', value: 5000, unit: 'ms' },
      detail: `${(median(times) / nodeStartupMs).toFixed(0)}× node startup; in a scratch copy of the sources`,
      data: { times },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The client's runtime as an app ships it (size-limit: bundled, minified, gzip), against openapi-fetch alone. */
async function measureBundle() {
  progress('bundle size');
  const { stdout } = await execa('size-limit', ['--json'], { cwd: root, env: toolEnv, preferLocal: true, reject: false });
  const checks = JSON.parse(stdout) as { name: string; size: number; sizeLimit?: number }[];
  const client = checks.find((check) => check.sizeLimit !== undefined)!;
  const openapiFetch = checks.find((check) => check.sizeLimit === undefined)!;
  add({
    id: 'bundle.client.gzip',
    what: `${client.name}, minified, gzip (size-limit)`,
    value: client.size,
    unit: 'B',
    baseline: { what: openapiFetch.name, value: openapiFetch.size, unit: 'B' },
    target: { comparison: '<=', value: client.sizeLimit!, unit: 'B' },
    detail: `this package's own share: ${client.size - openapiFetch.size} B`,
    data: { checks },
  });
}
