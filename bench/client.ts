/**
 * The client's own cost: `auditing.get()` against raw fetch and openapi-fetch, and what
 * `update()` validates before anything is sent, each against a baseline in the same rounds.
 */
import { deepStrictEqual } from 'node:assert/strict';
import createClient from 'openapi-fetch';
import { DEFAULTS } from 'redis-software-auditing-db-conns-mock';
import { createAuditingClient, type paths } from '../src/index.ts';
import { updateProblems } from '../src/validation.ts';
import { PAGE_REQUEST_EXAMPLE, PAGE_RESPONSE_EXAMPLE, PATH } from '../tools/page-examples.ts';
import type { Bench, Measured } from './context.ts';
import { median, medianPerRound, medianRatio } from './plan.ts';
import { AUTH_HEADERS } from './servers.ts';

/** The client's per-call timeout, given to the client and, as AbortSignal.timeout, to its baseline. */
const TIMEOUT_MS = 10_000;

/** What auditing.get() is compared with: one row each. */
const LATENCY_BASELINES = [
  { id: 'vs-fetch', name: 'fetch', what: 'raw fetch', target: 1.1 },
  { id: 'vs-openapi-fetch', name: 'openapiFetch', what: 'bare openapi-fetch', target: 1.02 },
  { id: 'vs-openapi-fetch-timeout', name: 'openapiFetchTimeout', what: 'openapi-fetch with the same timeout', target: 1.03 },
] as const;

/** The bodies update() validates: one row each. */
const VALIDATION_CASES = [
  { id: 'valid', what: 'a valid body (the page example)', body: PAGE_REQUEST_EXAMPLE as unknown, problems: 0 },
  {
    id: 'invalid',
    what: 'an invalid body (3 problems)',
    body: { audit_protocol: 'udp', audit_port: 'x', audit_colour: 'red' },
    problems: 3,
  },
];

/**
 * auditing.get() against raw fetch, bare openapi-fetch, and openapi-fetch with the same
 * timeout as the client's, all sending the same headers to the bare server and reading the same JSON.
 */
export async function clientLatency({ plan, progress, servers }: Bench): Promise<Measured[]> {
  progress('client latency');
  const baseUrl = (await servers.get('bare')).url;
  const { name: username, password } = DEFAULTS.user;
  const auditing = createAuditingClient({ baseUrl, username, password, timeoutMs: TIMEOUT_MS });
  const bare = createClient<paths>({ baseUrl, headers: AUTH_HEADERS });
  const variants = {
    fetch: async () => (await fetch(`${baseUrl}${PATH}`, { headers: AUTH_HEADERS })).json(),
    openapiFetch: async () => (await bare.GET(PATH)).data,
    openapiFetchTimeout: async () => (await bare.GET(PATH, { signal: AbortSignal.timeout(TIMEOUT_MS) })).data,
    client: () => auditing.get(),
  };
  // A comparison means something only when every variant gets the page example back.
  for (const [name, call] of Object.entries(variants)) deepStrictEqual(await call(), PAGE_RESPONSE_EXAMPLE, name);
  const ns = await medianPerRound(plan, variants);
  const us = (name: keyof typeof variants) => median(ns[name]!) / 1000;
  const detail =
    `median per call: auditing.get() ${us('client').toFixed(1)} µs, raw fetch ${us('fetch').toFixed(1)} µs, ` +
    `openapi-fetch ${us('openapiFetch').toFixed(1)} µs, with timeout ${us('openapiFetchTimeout').toFixed(1)} µs`;
  return LATENCY_BASELINES.map(({ id, name, what, target }) => ({
    id: `client.get.${id}`,
    what: `auditing.get() latency ÷ ${what}`,
    value: medianRatio(ns.client!, ns[name]!),
    unit: '×',
    baseline: { what, value: us(name), unit: 'µs' },
    target: { comparison: '<=', value: target, unit: '×' },
    detail,
    data: { perRoundNs: ns },
  }));
}

/**
 * What update() adds before anything is sent: updateProblems(body) per call, against
 * JSON.stringify of the same body, which every PUT does anyway.
 */
export async function validation({ plan, progress }: Bench): Promise<Measured[]> {
  progress('validation');
  const rows: Measured[] = [];
  for (const { id, what, body, problems } of VALIDATION_CASES) {
    deepStrictEqual(updateProblems(body).length, problems, `the ${id} body`);
    const ns = await medianPerRound(plan, { validate: () => updateProblems(body), stringify: () => JSON.stringify(body) });
    rows.push({
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
  return rows;
}
