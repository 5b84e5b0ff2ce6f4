/**
 * How long things take to start: Node itself (the machine's own speed in this run, the baseline
 * of the rest), each server's spawn to its first 200, and a further startMock() in a process
 * that already runs one.
 */
import { execa } from 'execa';
import { DEFAULTS, startMock } from 'redis-software-auditing-db-conns-mock';
import { basicAuth } from '../src/index.ts';
import { PATH } from '../tools/page-examples.ts';
import { root } from '../tools/project.ts';
import type { Bench, Measured } from './context.ts';
import { median, rotate } from './plan.ts';
import { SERVERS } from './servers.ts';

/** The machine's own speed in this run: how long Node takes to start and exit doing nothing. */
export async function nodeStartup({ plan, progress }: Bench): Promise<Measured[]> {
  progress('node startup');
  const times: number[] = [];
  for (let round = 0; round < plan.nodeStartups; round++) times.push((await execa(process.execPath, ['-e', '0'])).durationMs);
  return [{ id: 'machine.node-startup', what: 'node -e 0 (machine baseline)', value: median(times), unit: 'ms', data: { times } }];
}

/**
 * Each server with a cold start, started `coldStarts` times and timed to its first 200; the last
 * start stays up for the loads. Then the mock's bin against plain Prism's command line.
 */
export async function coldStarts({ plan, progress, servers, nodeStartupMs }: Bench): Promise<Measured[]> {
  const rows: Measured[] = [];
  const medians: Record<string, number> = {};
  for (const kind of SERVERS.filter((server) => server.coldStart)) {
    progress(`${kind.what}: cold start`);
    const times: number[] = [];
    for (let start = 1; start <= plan.coldStarts; start++) {
      const server = await servers.start(kind);
      times.push(server.firstOkMs);
      if (start < plan.coldStarts) await server.stop();
      else servers.keep(kind.id, server);
    }
    medians[kind.id] = median(times);
    const targetMs = kind.coldStart!.targetMs;
    rows.push({
      id: `${kind.id}.cold-start`,
      what: `${kind.what}: spawn to first 200`,
      value: median(times),
      unit: 'ms',
      baseline: { what: 'node -e 0', value: nodeStartupMs(), unit: 'ms' },
      target: targetMs === undefined ? undefined : { comparison: '<', value: targetMs, unit: 'ms' },
      detail: `${(median(times) / nodeStartupMs()).toFixed(1)}× node startup`,
      data: { times },
    });
  }
  rows.push({
    id: 'mock.cold-start.vs-prism',
    what: 'redis-auditing-mock spawn to first 200 ÷ plain prism mock',
    value: medians.mock! / medians.prism!,
    unit: '×',
    baseline: { what: 'prism mock', value: medians.prism!, unit: 'ms' },
    target: { comparison: '<=', value: 0.3, unit: '×' },
    detail: `${Math.round(medians.mock!)} ms vs ${Math.round(medians.prism!)} ms`,
    data: medians,
  });
  return rows;
}

/** A second startMock() in a process that already has one: what each further mock of a test suite costs. */
export async function librarySecondStart({ plan, progress }: Bench): Promise<Measured[]> {
  progress('startMock(): a second mock in the same process');
  const t0 = performance.now();
  const first = await startMock();
  const firstMs = performance.now() - t0;
  const times: number[] = [];
  try {
    for (let i = 0; i < Math.max(plan.coldStarts * 5, 3); i++) {
      const started = performance.now();
      const second = await startMock();
      times.push(performance.now() - started);
      await second.stop();
    }
  } finally {
    await first.stop();
  }
  return [
    {
      id: 'mock.library.second-start',
      what: 'startMock() while another mock runs in the process',
      value: median(times),
      unit: 'ms',
      baseline: { what: 'the first startMock() (Prism loaded)', value: firstMs, unit: 'ms' },
      target: { comparison: '<', value: 50, unit: 'ms' },
      detail: `${(median(times) / firstMs).toFixed(3)}× the first`,
      data: { times, firstMs },
    },
  ];
}

/**
 * A fresh process that imports the package, calls startMock() and gets its first answer, then
 * stops it and exits: what a test file pays for a mock of its own. Against the same process with
 * a bare node:http server in place of the mock, turn by turn.
 */
const FRESH = {
  mock: `import { startMock } from 'redis-software-auditing-db-conns-mock';
const mock = await startMock();
const answer = await fetch(mock.url + '${PATH}', { headers: { authorization: '${basicAuth(DEFAULTS.user.name, DEFAULTS.user.password)}' } });
if (answer.status !== 200) throw new Error('the mock answered ' + answer.status);
await answer.arrayBuffer();
await mock.stop();`,
  bare: `import { createServer } from 'node:http';
import { once } from 'node:events';
const server = createServer((request, response) => response.end('{}')).listen(0, '127.0.0.1');
await once(server, 'listening');
const answer = await fetch('http://127.0.0.1:' + server.address().port + '${PATH}');
await answer.arrayBuffer();
server.close();`,
};

export async function freshProcess({ plan, progress }: Bench): Promise<Measured[]> {
  progress('a fresh process: import, startMock(), first answer');
  const times: Record<keyof typeof FRESH, number[]> = { mock: [], bare: [] };
  for (let round = 0; round < plan.nodeStartups; round++) {
    for (const kind of rotate(['mock', 'bare'] as const, round)) {
      // From the project's folder, so that the package resolves as a user's project resolves it.
      const ran = await execa(process.execPath, ['--input-type=module', '-e', FRESH[kind]], { cwd: root });
      times[kind].push(ran.durationMs);
    }
  }
  return [
    {
      id: 'mock.library.fresh-process',
      what: 'a fresh process: import, startMock(), first 200, stop, exit',
      value: median(times.mock),
      unit: 'ms',
      baseline: { what: 'the same with a bare node:http server', value: median(times.bare), unit: 'ms' },
      target: { comparison: '<=', value: 250, unit: 'ms' },
      detail: `${(median(times.mock) / median(times.bare)).toFixed(2)}× the bare server's`,
      data: times,
    },
  ];
}
