/**
 * Requests per second of the mock against its baselines, under autocannon's load: every server in
 * turn, round by round, with 1 and with 16 connections. One more comparison is one more entry.
 */
import autocannon from 'autocannon';
import { createMock } from 'redis-software-auditing-db-conns-mock';
import { PATH } from '../tools/page-examples.ts';
import type { Bench, Measured } from './context.ts';
import { median, medianRatio, rotate } from './plan.ts';
import { AUTH_HEADERS } from './servers.ts';

const COMPARISONS = [
  { figure: 'mock', baseline: 'prism', what: 'mock req/s ÷ plain prism mock', target: 1 },
  { figure: 'mock', baseline: 'bare', what: 'mock req/s ÷ bare server', target: 0.5 },
  // What keeping the configuration costs: the stateful mock against its own --stateless.
  { figure: 'mock', baseline: 'mock.stateless', what: 'stateful mock req/s ÷ --stateless', target: 0.9 },
];
const CONNECTIONS = [1, 16];

export async function throughput(bench: Bench): Promise<Measured[]> {
  const perSecond = await loads(bench);
  return COMPARISONS.flatMap(({ figure, baseline, what, target }) =>
    CONNECTIONS.map((connections): Measured => {
      const [figures, baselines] = [perSecond[`${figure}@${connections}`]!, perSecond[`${baseline}@${connections}`]!];
      return {
        id: `${figure}.throughput.vs-${baseline}.${connections === 1 ? 'sequential' : 'concurrent'}`,
        what: `${what}, ${connections === 1 ? '1 connection' : `${connections} connections`}`,
        value: medianRatio(figures, baselines),
        unit: '×',
        baseline: { what: baseline === 'bare' ? 'bare server' : baseline, value: median(baselines), unit: 'req/s' },
        target: { comparison: '>=', value: target, unit: '×' },
        detail: `median ${Math.round(median(figures))} req/s vs ${Math.round(median(baselines))} req/s`,
        data: { figurePerSecond: figures, baselinePerSecond: baselines, connections },
      };
    }),
  );
}

/** Requests per second of each server compared, by `<server>@<connections>`, round by round. */
async function loads({ plan, progress, servers }: Bench): Promise<Record<string, number[]>> {
  const names = [...new Set(COMPARISONS.flatMap(({ figure, baseline }) => [figure, baseline]))];
  const urls = Object.fromEntries(await Promise.all(names.map(async (name) => [name, `${(await servers.get(name)).url}${PATH}`])));
  if (plan.load.warmupSeconds > 0) {
    progress('load warm-up');
    for (const name of names) await requestsPerSecond(urls[name], 16, plan.load.warmupSeconds, plan.load.sampleMs);
  }
  const perSecond: Record<string, number[]> = Object.fromEntries(
    names.flatMap((name) => CONNECTIONS.map((connections) => [`${name}@${connections}`, [] as number[]])),
  );
  for (let round = 0; round < plan.rounds; round++) {
    progress(`load round ${round + 1} of ${plan.rounds}`);
    for (const name of rotate(names, round)) {
      for (const connections of CONNECTIONS) {
        const figure = await requestsPerSecond(urls[name], connections, plan.load.seconds, plan.load.sampleMs);
        perSecond[`${name}@${connections}`]!.push(figure);
      }
    }
  }
  return perSecond;
}

/**
 * The door with no port: requests per second through `mock.fetch`, one after another in this
 * process, against the HTTP mock's bin and the bare server at 1 connection, round by round.
 */
export async function fetchThroughput({ plan, progress, servers }: Bench): Promise<Measured[]> {
  const mock = createMock();
  const [httpMock, bare] = await Promise.all([servers.get('mock'), servers.get('bare')]);
  const perSecond: Record<'fetch' | 'mock' | 'bare', number[]> = { fetch: [], mock: [], bare: [] };
  const loadOf = {
    fetch: () => fetchPerSecond(mock.fetch, `https://cluster.example.com:9443${PATH}`, plan.load.seconds),
    mock: () => requestsPerSecond(`${httpMock.url}${PATH}`, 1, plan.load.seconds, plan.load.sampleMs),
    bare: () => requestsPerSecond(`${bare.url}${PATH}`, 1, plan.load.seconds, plan.load.sampleMs),
  };
  try {
    for (let round = 0; round < plan.rounds; round++) {
      progress(`mock.fetch round ${round + 1} of ${plan.rounds}`);
      for (const name of rotate(['fetch', 'mock', 'bare'] as const, round)) perSecond[name].push(await loadOf[name]());
    }
  } finally {
    mock.close();
  }
  return (['mock', 'bare'] as const).map((baseline) => ({
    id: `mock.fetch.throughput.vs-${baseline === 'mock' ? 'http-mock' : 'bare'}`,
    what: `mock.fetch req/s (no port) ÷ ${baseline === 'mock' ? 'the HTTP mock' : 'bare server'}, 1 connection`,
    value: medianRatio(perSecond.fetch, perSecond[baseline]),
    unit: '×',
    baseline: { what: baseline === 'mock' ? 'redis-auditing-mock' : 'bare server', value: median(perSecond[baseline]), unit: 'req/s' },
    // With no socket in the way, the door with no port must not be slower than the HTTP mock; against the bare server it is reported.
    ...(baseline === 'mock' ? { target: { comparison: '>=' as const, value: 1, unit: '×' as const } } : {}),
    detail: `median ${Math.round(median(perSecond.fetch))} req/s vs ${Math.round(median(perSecond[baseline]))} req/s`,
    data: { figurePerSecond: perSecond.fetch, baselinePerSecond: perSecond[baseline] },
  }));
}

/** Requests per second of GETs through a fetch function, one after another for `seconds`. */
async function fetchPerSecond(fetch: typeof globalThis.fetch, url: string, seconds: number): Promise<number> {
  const started = performance.now();
  let done = 0;
  while (performance.now() - started < seconds * 1000) {
    const answer = await fetch(url, { headers: AUTH_HEADERS });
    await answer.arrayBuffer();
    if (answer.status !== 200) throw new Error(`mock.fetch answered ${answer.status}`);
    done++;
  }
  return (done * 1000) / (performance.now() - started);
}

/** Requests per second of one autocannon load; a figure made of failed requests is no figure. */
async function requestsPerSecond(url: string, connections: number, seconds: number, sampleMs: number): Promise<number> {
  const result = await autocannon({ url, connections, headers: AUTH_HEADERS, duration: seconds, sampleInt: sampleMs });
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > 0) throw new Error(`${url}: ${failed} of ${result.requests.total} requests failed`);
  return (result.requests.total * 1000) / (result.finish.getTime() - result.start.getTime());
}
