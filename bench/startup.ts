/**
 * How long things take to start: Node itself (the machine's own speed in this run, the baseline
 * of the rest), each server's spawn to its first 200, and a further startMock() in a process
 * that already runs one.
 */
import { execa } from 'execa';
import { startMock } from 'redis-software-auditing-db-conns-mock';
import type { Bench, Measured } from './context.ts';
import { median } from './plan.ts';
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
