/**
 * npm run bench: the client, the mock, the build and the sizes, each measured against a
 * physical baseline in the same run (the machine may be shared and noisy), on loopback only.
 *
 *   npm run bench               warm-ups, several rounds, medians; every target checked; runs `npm test` once
 *   npm run bench -- --smoke    a handful of iterations, no targets, no test suite (BENCH_SMOKE=1 does the same)
 *
 * Prints a table to stdout (progress goes to stderr) and writes build/bench/report.json.
 * Every server and Prism process it starts is stopped at the end, also when something fails.
 */
import { deepStrictEqual } from 'node:assert/strict';
import { parseArgs } from 'node:util';
import createClient from 'openapi-fetch';
import { createAuditingClient, type paths } from '../src/index.ts';
import { updateProblems } from '../src/validation.ts';
import { startBareServer, type BareServer } from './lib/bench/bare-server.ts';
import { stopRunningCommands, succeeded, timeCommand } from './lib/bench/commands.ts';
import { interleavedLatency, tightLoopNs } from './lib/bench/latency.ts';
import type { LoadResult } from './lib/bench/load.ts';
import { startLoadGenerator, type LoadGenerator } from './lib/bench/load-generator.ts';
import { mockCommandFirstOk, startPrismTimed } from './lib/bench/mock-start.ts';
import { AUTH_HEADERS, PAGE_EXAMPLE, PATH } from './lib/bench/page-example.ts';
import { machine, meets, table, writeReport, type Report, type Row, type Unit } from './lib/bench/report.ts';
import { makeScratchCopy } from './lib/bench/scratch-copy.ts';
import { bundleClient, bundleOpenapiFetch, docsPageSize, packSize } from './lib/bench/sizes.ts';
import { median, medianRatio, rotate } from './lib/bench/stats.ts';
import type { PrismOptions } from './lib/prism.ts';
import { root } from './lib/project.ts';
import { mockOptions } from './lib/request-log.ts';

const { values: args } = parseArgs({ options: { smoke: { type: 'boolean' }, report: { type: 'string' } } });
const smoke = Boolean(args.smoke) || process.env.BENCH_SMOKE === '1';
// The test suite runs the smoke bench; the bench sets this on the suite run it times, so that
// nothing inside that run ever times the suite again.
const SUITE_GUARD = 'BENCH_TIMED_SUITE';
const insideTimedSuite = process.env[SUITE_GUARD] === '1';

const plan = smoke
  ? {
      nodeStartups: 2,
      latency: { warmupCalls: 3, rounds: 2, callsPerRound: 5 },
      validation: { rounds: 2, calls: 200 },
      load: { warmupMs: 100, rounds: 1, slotMs: 150, maxRequests: 100 },
      coldStarts: 1,
      builds: { warmups: 0, rounds: 1 },
    }
  : {
      nodeStartups: 10,
      latency: { warmupCalls: 2000, rounds: 15, callsPerRound: 200 },
      validation: { rounds: 9, calls: 20_000 },
      load: { warmupMs: 3000, rounds: 9, slotMs: 600, maxRequests: 100_000 },
      coldStarts: 3,
      builds: { warmups: 1, rounds: 3 },
    };

const REPORT_FILE = args.report ?? `${root}build/bench/report.json`;
const KB = 1024;
const rows: Row[] = [];
/** Every process the bench starts, so that the report can be checked for leftovers. */
const started: { what: string; pid: number }[] = [];
const startedAt = new Date();
const progress = (message: string) => console.error(`bench${smoke ? ' (smoke)' : ''}: ${message}`);

/** Servers, Prism processes and helpers running now; all stopped at the end, even on failure or Ctrl-C. */
const running = new Set<{ stop: () => Promise<void> }>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    stopRunningCommands();
    await stopAll();
    process.exit(130);
  });
}
try {
  const nodeStartupMs = await measureNodeStartup();
  const bare = keep('bare server', await startBareServer());
  const loadGenerator = keep('load generator', await startLoadGenerator());
  await measureClientLatency(bare);
  measureValidation();
  await measureMock(bare, loadGenerator, nodeStartupMs);
  await measureMockCommandColdStart(nodeStartupMs);
  await stopAll(); // nothing of the bench's own runs while the build and the test suite are timed
  await measureBundle();
  await measureBuildAndPack(nodeStartupMs);
  measureDocsPage();
  await measureTestSuite(nodeStartupMs);
} finally {
  await stopAll();
}

const report: Report = { mode: smoke ? 'smoke' : 'full', startedAt: startedAt.toISOString(), durationMs: Date.now() - startedAt.getTime(), machine: machine(), rows, processes: started };
writeReport(REPORT_FILE, report);
console.log(table(report));
const checked = rows.filter((row) => row.met !== null);
console.log(
  `\n${report.machine.cores} cores (${report.machine.cpu}), Node ${report.machine.node}; ` +
    (smoke ? 'smoke run: targets not enforced.' : `targets met: ${checked.filter((row) => row.met).length} of ${checked.length}.`),
);
console.log(`Report: ${REPORT_FILE}`);

// ---------------------------------------------------------------------------------------------

/** Notes a process the bench started, to be stopped by release() or, at the latest, by stopAll(). */
function keep<T extends { pid: number; stop: () => Promise<void> }>(what: string, child: T): T {
  started.push({ what, pid: child.pid });
  running.add(child);
  return child;
}

async function release(child: { stop: () => Promise<void> }) {
  running.delete(child);
  await child.stop();
}

async function stopAll() {
  for (const child of [...running].reverse()) await release(child);
}

/** Adds a row; in a full run, says whether its target is met. */
function add(row: Omit<Row, 'met' | 'status'> & { status?: Row['status'] }) {
  const status = row.status ?? 'measured';
  const met = !smoke && row.target && status === 'measured' && row.value !== null ? meets(row.value, row.target) : null;
  rows.push({ ...row, status, met });
}

/** The machine's own speed in this run: how long Node takes to start and exit doing nothing. */
async function measureNodeStartup(): Promise<number> {
  progress('node startup');
  const times: number[] = [];
  for (let round = 0; round < plan.nodeStartups; round++) {
    times.push(succeeded('node -e 0', await timeCommand(process.execPath, ['-e', '0'], { cwd: root, timeoutMs: 30_000 })).ms);
  }
  const ms = median(times);
  add({ id: 'machine.node-startup', what: 'node -e 0 (machine baseline)', value: ms, unit: 'ms', data: { times } });
  return ms;
}

/**
 * auditing.get() against raw fetch and bare openapi-fetch, all three sending the same headers
 * to the bare server and reading the same JSON, called in turn.
 */
async function measureClientLatency(server: BareServer) {
  progress('client latency');
  const url = `${server.url}${PATH}`;
  const auditing = createAuditingClient({ baseUrl: server.url, username: 'admin@example.com', password: 'secret' });
  const bareClient = createClient<paths>({ baseUrl: server.url, headers: AUTH_HEADERS });
  const variants = [
    { name: 'raw fetch', call: async () => (await fetch(url, { headers: AUTH_HEADERS })).json() },
    { name: 'openapi-fetch', call: async () => (await bareClient.GET(PATH)).data },
    { name: 'auditing.get()', call: () => auditing.get() },
  ];
  // A comparison means something only when all three get the page example back.
  for (const variant of variants) deepStrictEqual(await variant.call(), PAGE_EXAMPLE, variant.name);

  const perRound = await interleavedLatency(variants, plan.latency);
  const [fetchUs, openapiFetchUs, clientUs] = variants.map((variant) => perRound.get(variant.name)!);
  const detail = `median per call: auditing.get() ${median(clientUs!).toFixed(1)} µs, openapi-fetch ${median(openapiFetchUs!).toFixed(1)} µs, raw fetch ${median(fetchUs!).toFixed(1)} µs`;
  const data = { clientUs, openapiFetchUs, fetchUs, ...plan.latency };
  add({
    id: 'client.get.vs-fetch',
    what: 'auditing.get() latency ÷ raw fetch',
    value: medianRatio(clientUs!, fetchUs!),
    unit: '×',
    baseline: { what: 'raw fetch', value: median(fetchUs!), unit: 'µs' },
    target: { comparison: '<=', value: 1.1, unit: '×' },
    detail,
    data,
  });
  add({
    id: 'client.get.vs-openapi-fetch',
    what: 'auditing.get() latency ÷ bare openapi-fetch',
    value: medianRatio(clientUs!, openapiFetchUs!),
    unit: '×',
    baseline: { what: 'openapi-fetch GET', value: median(openapiFetchUs!), unit: 'µs' },
    target: { comparison: '<=', value: 1.02, unit: '×' },
    detail,
    data,
  });
}

/**
 * What update() adds before anything is sent: updateProblems(body) per call, in a tight loop.
 * Its baseline is JSON.stringify of the same body, which every PUT does anyway.
 */
function measureValidation() {
  progress('validation');
  const cases = [
    { id: 'valid', what: 'a valid body (the page example)', body: PAGE_EXAMPLE as unknown, problems: 0 },
    { id: 'invalid', what: 'an invalid body (3 problems)', body: { audit_protocol: 'udp', audit_port: 'x', audit_colour: 'red' }, problems: 3 },
  ];
  for (const { id, body, problems } of cases) {
    if (updateProblems(body).length !== problems) throw new Error(`the ${id} body should have ${problems} problems: ${JSON.stringify(updateProblems(body))}`);
    tightLoopNs(() => updateProblems(body), plan.validation.calls); // warm-up
    tightLoopNs(() => JSON.stringify(body), plan.validation.calls);
  }
  const validationNs = new Map(cases.map(({ id }) => [id, [] as number[]]));
  const stringifyNs = new Map(cases.map(({ id }) => [id, [] as number[]]));
  for (let round = 0; round < plan.validation.rounds; round++) {
    for (const { id, body } of rotate(cases, round)) {
      validationNs.get(id)!.push(tightLoopNs(() => updateProblems(body), plan.validation.calls).ns);
      stringifyNs.get(id)!.push(tightLoopNs(() => JSON.stringify(body), plan.validation.calls).ns);
    }
  }
  for (const { id, what } of cases) {
    const us = median(validationNs.get(id)!) / 1000;
    const ratio = medianRatio(validationNs.get(id)!, stringifyNs.get(id)!);
    add({
      id: `client.update.validation.${id}`,
      what: `update() validation per call, ${what}`,
      value: us,
      unit: 'µs',
      baseline: { what: 'JSON.stringify(body)', value: median(stringifyNs.get(id)!) / 1000, unit: 'µs' },
      target: { comparison: '<', value: 20, unit: 'µs' },
      detail: `${ratio.toFixed(2)}× JSON.stringify of the same body`,
      data: { validationNs: validationNs.get(id), stringifyNs: stringifyNs.get(id), ratioToStringify: ratio, ...plan.validation },
    });
  }
}

/**
 * The mock's throughput against the bare server's, sequential and with 16 connections, for
 * Prism as `npm run mock` starts it (the configuration the target applies to) and two others
 * for comparison: --multiprocess, and no request log at all (as the tests run it).
 */
async function measureMock(server: BareServer, generator: LoadGenerator, nodeStartupMs: number) {
  const configurations: { id: string; what: string; options: () => PrismOptions; coldStarts: number; target: boolean }[] = [
    // Exactly as scripts/mock.ts starts it, printing to nowhere instead of the console.
    { id: 'mock', what: 'npm run mock', options: () => mockOptions(() => {}), coldStarts: plan.coldStarts, target: true },
    { id: 'mock.multiprocess', what: 'mock with --multiprocess', options: () => ({ ...mockOptions(() => {}), extraArgs: ['--multiprocess'] }), coldStarts: 1, target: false },
    { id: 'mock.silent', what: 'mock with no request log, --verboseLevel warn', options: () => ({ logLevel: 'warn' }), coldStarts: 1, target: false },
  ];
  for (const configuration of configurations) {
    progress(`${configuration.what}: cold start and throughput`);
    // Every start is timed to its first 200; the last one is also put under load.
    const coldStartMs: number[] = [];
    for (let start = 1; start < configuration.coldStarts; start++) {
      const { prism, firstOkMs } = await startPrismTimed(configuration.options());
      keep(`Prism: ${configuration.what}`, prism);
      coldStartMs.push(firstOkMs);
      await release(prism);
    }
    const { prism, firstOkMs } = await startPrismTimed(configuration.options());
    keep(`Prism: ${configuration.what}`, prism);
    coldStartMs.push(firstOkMs);
    try {
      const { sequential, concurrent } = await compareThroughput(generator, `${server.url}${PATH}`, `${prism.url}${PATH}`);
      for (const [load, results, connections] of [['sequential', sequential, 1], ['16 connections', concurrent, 16]] as const) {
        add({
          id: `${configuration.id}.throughput.${connections === 1 ? 'sequential' : 'concurrent'}`,
          what: `${configuration.what} req/s ÷ bare server, ${load}`,
          value: medianRatio(results.mock, results.bare),
          unit: '×',
          baseline: { what: 'bare server', value: median(results.bare), unit: 'req/s' },
          target: configuration.target ? { comparison: '>=', value: 0.5, unit: '×' } : undefined,
          detail: `median ${Math.round(median(results.mock))} req/s vs bare server ${Math.round(median(results.bare))} req/s`,
          data: { mockPerSecond: results.mock, barePerSecond: results.bare, connections, ...plan.load },
        });
      }
    } finally {
      await release(prism);
    }
    add({
      id: `${configuration.id}.cold-start`,
      what: `${configuration.what}: Prism start to first 200`,
      value: median(coldStartMs),
      unit: 'ms',
      baseline: { what: 'node -e 0', value: nodeStartupMs, unit: 'ms' },
      target: configuration.target ? { comparison: '<', value: 2000, unit: 'ms' } : undefined,
      detail: `${(median(coldStartMs) / nodeStartupMs).toFixed(1)}× node startup`,
      data: { coldStartMs },
    });
  }
}

/**
 * Requests per second of the bare server and the mock, round by round in alternating order,
 * from the load generator's own process.
 */
async function compareThroughput(generator: LoadGenerator, bareUrl: string, mockUrl: string) {
  const targets = [
    { name: 'bare' as const, url: bareUrl },
    { name: 'mock' as const, url: mockUrl },
  ];
  const load = (url: string, concurrency: number, maxMs: number) => generator.run(url, { concurrency, maxMs, maxRequests: plan.load.maxRequests, headers: AUTH_HEADERS });
  for (const { url } of targets) await load(url, 16, plan.load.warmupMs);
  const sequential = { bare: [] as number[], mock: [] as number[] };
  const concurrent = { bare: [] as number[], mock: [] as number[] };
  for (let round = 0; round < plan.load.rounds; round++) {
    for (const { name, url } of rotate(targets, round)) {
      sequential[name].push(answered(await load(url, 1, plan.load.slotMs), name));
      concurrent[name].push(answered(await load(url, 16, plan.load.slotMs), name));
    }
  }
  return { sequential, concurrent };
}

/** Requests per second, when every request got its 200: a figure made of errors is no figure. */
function answered(result: LoadResult, name: string): number {
  if (result.failures > 0) throw new Error(`${name}: ${result.failures} of ${result.requests} requests failed`);
  return result.perSecond;
}

/** The whole `npm run mock` process (tsx, then Prism), from spawn to first 200. */
async function measureMockCommandColdStart(nodeStartupMs: number) {
  progress('npm run mock process: cold start');
  const times: number[] = [];
  for (let round = 0; round < plan.coldStarts; round++) times.push(await mockCommandFirstOk((pid) => started.push({ what: 'npm run mock', pid })));
  add({
    id: 'mock.command.cold-start',
    what: 'npm run mock: process spawn to first 200',
    value: median(times),
    unit: 'ms',
    baseline: { what: 'node -e 0', value: nodeStartupMs, unit: 'ms' },
    detail: `${(median(times) / nodeStartupMs).toFixed(1)}× node startup; tsx scripts/mock.ts, without npm's own start`,
    data: { times },
  });
}

/** The client's runtime bundled with openapi-fetch, against openapi-fetch alone bundled the same way. */
async function measureBundle() {
  progress('bundle sizes');
  const [client, openapiFetch] = await Promise.all([bundleClient(), bundleOpenapiFetch()]);
  const baseline = { what: 'openapi-fetch alone', value: openapiFetch.gzipBytes, unit: 'B' as Unit };
  add({
    id: 'bundle.client.gzip',
    what: 'client runtime, esm minified, gzip -9',
    value: client.gzipBytes,
    unit: 'B',
    baseline,
    target: { comparison: '<=', value: 6 * KB, unit: 'B' },
    detail: `${client.minifiedBytes} B minified; openapi-fetch alone ${openapiFetch.minifiedBytes} B minified`,
    data: { client, openapiFetch },
  });
  add({
    id: 'bundle.wrapper.gzip',
    what: "the wrapper's own share (total − openapi-fetch)",
    value: client.gzipBytes - openapiFetch.gzipBytes,
    unit: 'B',
    baseline,
    detail: `minified inputs: ${Object.entries(client.inputs)
      .filter(([file]) => !file.includes('node_modules'))
      .map(([file, bytes]) => `${file} ${bytes} B`)
      .join(', ')}`,
  });
}

/** `npm run build` in a scratch copy of the sources, then `npm pack --dry-run` of what it built. */
async function measureBuildAndPack(nodeStartupMs: number) {
  const scratch = makeScratchCopy();
  try {
    const times: number[] = [];
    for (let build = 0; build < plan.builds.warmups + plan.builds.rounds; build++) {
      progress(`npm run build ${build + 1} of ${plan.builds.warmups + plan.builds.rounds}`);
      const ran = succeeded('npm run build', await timeCommand('npm', ['run', 'build'], { cwd: scratch.dir, timeoutMs: 300_000 }));
      if (build >= plan.builds.warmups) times.push(ran.ms);
    }
    add({
      id: 'build',
      what: 'npm run build wall time',
      value: median(times),
      unit: 'ms',
      baseline: { what: 'node -e 0', value: nodeStartupMs, unit: 'ms' },
      target: { comparison: '<', value: 5000, unit: 'ms' },
      detail: `${(median(times) / nodeStartupMs).toFixed(0)}× node startup; in a scratch copy of the sources`,
      data: { times, warmups: plan.builds.warmups },
    });

    progress('npm pack --dry-run');
    const pack = packSize(scratch.dir);
    add({ id: 'pack.tarball', what: 'packed tarball (npm pack)', value: pack.tarballBytes, unit: 'B', detail: `${pack.files} files`, data: { ...pack } });
    add({ id: 'pack.unpacked', what: 'installed size (unpacked)', value: pack.unpackedBytes, unit: 'B', data: { ...pack } });
  } finally {
    scratch.remove();
  }
}

function measureDocsPage() {
  const page = docsPageSize();
  add({
    id: 'docs.page',
    what: 'docs page build/docs/index.html',
    status: page ? 'measured' : 'not built',
    value: page?.bytes ?? null,
    unit: 'B',
    detail: page ? `${page.gzipBytes} B gzip -9` : 'npm run docs writes it',
    data: page ? { ...page } : undefined,
  });
}

/** `npm test` once, as a child process, in a full run only. */
async function measureTestSuite(nodeStartupMs: number) {
  const row = { id: 'test', what: 'npm test wall time', unit: 'ms' as Unit, target: { comparison: '<' as const, value: 60_000, unit: 'ms' as Unit } };
  if (smoke || insideTimedSuite) {
    add({ ...row, status: 'skipped', value: null, detail: smoke ? 'smoke run' : 'inside the test run the bench times' });
    return;
  }
  progress('npm test (one run, a minute or two)');
  const ran = await timeCommand('npm', ['test'], { cwd: root, env: { [SUITE_GUARD]: '1' }, timeoutMs: 900_000 });
  const plain = ran.output.replace(/\x1b\[[0-9;]*m/g, ''); // vitest colours its summary
  const summary = plain.match(/^\s*Tests\s+(.*)$/m)?.[1]?.trim() ?? '';
  add({
    ...row,
    value: ran.ms,
    baseline: { what: 'node -e 0', value: nodeStartupMs, unit: 'ms' },
    detail: `exit ${ran.status}${summary ? `; tests ${summary}` : ''}`,
    data: { exitCode: ran.status, summary, output: ran.status === 0 ? undefined : plain.slice(-4000) },
  });
}
