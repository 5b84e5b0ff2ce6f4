/**
 * A seeded bad-input campaign: well over a thousand PUT bodies, valid and invalid, each sent to
 * plain Prism (the mock package's `--stateless` mock, in this process, through `mock.fetch`, which validates it against the spec) and handed to the client's own validator
 * (`updateProblems`, compiled from the same spec by the build). Every valid body must get 200
 * and no problem, every invalid one 400 and problems: the two validators agree on every case.
 *
 * Non-JSON text: the client never sees text, since `update()` takes a JS value. The nearest a
 * caller gets is passing that text as a string value, which the client must reject; that is
 * what is checked for it, while Prism gets the text itself as the body.
 */
import { basicAuth } from '../../src/index.ts';
import fc from 'fast-check';
import { createMock } from 'redis-software-auditing-db-conns-mock';
import { describe, expect, it } from 'vitest';
import { updateProblems } from '../../src/validation.ts';
import { PATH } from '../support/facts.ts';
import { BODY_KINDS, type BodyKind, type UpdateBody } from '../support/update-bodies.ts';

/** Fixed, so that a failure is reproducible; each kind runs from SEED plus its index. */
const SEED = 20_250_601;
/** Requests in flight at once: each kind's run is sequential, and this many kinds run together. */
const CONCURRENCY = 8;
const MIN_CASES = 1000;

const prism = createMock({ stateless: true });
const endpoint = `https://cluster.example.com:9443${PATH}`;
const fetch = prism.fetch;
const authorization = basicAuth('admin@example.com', 'mock-password');

interface Verdict {
  status: number;
  /** Prism's `sl-violations` header: what it found wrong. */
  violations: string | null;
  /** What the client's validator found wrong. */
  problems: ReturnType<typeof updateProblems>;
}

async function judge(body: UpdateBody): Promise<Verdict> {
  const text = 'text' in body ? body.text : JSON.stringify(body.value);
  if (text === undefined) throw new Error('a body kind produced a value with no JSON form');
  const response = await fetch(endpoint, {
    method: 'PUT',
    headers: { authorization, 'content-type': 'application/json', accept: 'application/json' },
    body: text,
    signal: AbortSignal.timeout(15_000),
  });
  await response.arrayBuffer();
  const problems = updateProblems('text' in body ? body.text : body.value);
  return { status: response.status, violations: response.headers.get('sl-violations'), problems };
}

interface Tally {
  kind: BodyKind;
  cases: number;
  prism200: number;
  prism400: number;
  prismOther: number;
  clientValid: number;
  clientInvalid: number;
  disagreements: number;
  failure?: string;
}

/** Runs one kind as a fast-check property: on a failure, fast-check shrinks it to a minimal body. */
async function runKind(kind: BodyKind, seed: number): Promise<Tally> {
  const tally: Tally = { kind, cases: 0, prism200: 0, prism400: 0, prismOther: 0, clientValid: 0, clientInvalid: 0, disagreements: 0 };
  const property = fc.asyncProperty(kind.bodies, async (body) => {
    const verdict = await judge(body);
    const prismSaysValid = verdict.status === 200;
    const clientSaysValid = verdict.problems.length === 0;
    tally[verdict.status === 200 ? 'prism200' : verdict.status === 400 ? 'prism400' : 'prismOther']++;
    tally[clientSaysValid ? 'clientValid' : 'clientInvalid']++;
    if (prismSaysValid !== clientSaysValid) tally.disagreements++;
    const expected = kind.valid ? 200 : 400;
    if (verdict.status !== expected || clientSaysValid !== kind.valid) {
      throw new Error(
        `expected ${kind.valid ? 'valid' : 'invalid'}: Prism answered ${verdict.status}` +
          (verdict.violations ? ` (sl-violations: ${verdict.violations.slice(0, 500)})` : '') +
          `; the client found ${clientSaysValid ? 'no problem' : JSON.stringify(verdict.problems).slice(0, 500)}`,
      );
    }
  });
  const details = await fc.check(property, { seed, numRuns: kind.runs });
  tally.cases = details.numRuns;
  if (details.failed) {
    const shown = fc.stringify(details.counterexample);
    tally.failure =
      `${kind.name} (seed ${seed}, path ${details.counterexamplePath}), shrunk ${details.numShrinks} times to ` +
      `${shown.length > 2000 ? `${shown.slice(0, 2000)}…` : shown}\n  ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`;
  }
  return tally;
}

/** Runs the tasks with at most `limit` of them in flight. */
async function inPool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const lane = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, lane));
  return results;
}

function table(tallies: Tally[], seconds: number): string {
  const header = ['kind', 'expected', 'cases', 'Prism 200', 'Prism 400', 'Prism other', 'client valid', 'client invalid', 'disagree'];
  const rows = tallies.map((t) =>
    [
      t.kind.name,
      t.kind.valid ? 'valid' : 'invalid',
      t.cases,
      t.prism200,
      t.prism400,
      t.prismOther,
      t.clientValid,
      t.clientInvalid,
      t.disagreements,
    ].map(String),
  );
  const sum = (key: keyof Tally) => String(tallies.reduce((total, t) => total + (t[key] as number), 0));
  rows.push([
    'total',
    '',
    sum('cases'),
    sum('prism200'),
    sum('prism400'),
    sum('prismOther'),
    sum('clientValid'),
    sum('clientInvalid'),
    sum('disagreements'),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [
    `bad-input campaign, seed ${SEED}, ${CONCURRENCY} requests at a time, ${seconds.toFixed(1)} s`,
    line(header),
    ...rows.map(line),
  ].join('\n');
}

describe('the bad-input campaign: Prism and the client validator on the same PUT bodies', () => {
  it(`agrees on every one of at least ${MIN_CASES} seeded bodies, valid and invalid`, { timeout: 240_000 }, async () => {
    const started = performance.now();
    const tallies = await inPool(
      BODY_KINDS.map((kind, index) => () => runKind(kind, SEED + index)),
      CONCURRENCY,
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(table(tallies, seconds));

    const failures = tallies.flatMap((t) => (t.failure ? [t.failure] : []));
    expect(failures, failures.join('\n\n')).toEqual([]);
    expect(tallies.every((t) => t.cases === t.kind.runs)).toBe(true);
    expect(tallies.reduce((total, t) => total + t.cases, 0)).toBeGreaterThanOrEqual(MIN_CASES);
    expect(tallies.reduce((total, t) => total + t.disagreements, 0)).toBe(0);
    // Both verdicts were really exercised: valid and invalid bodies alike.
    expect(tallies.filter((t) => t.kind.valid).reduce((total, t) => total + t.prism200, 0)).toBeGreaterThan(0);
    expect(tallies.filter((t) => !t.kind.valid).reduce((total, t) => total + t.prism400, 0)).toBeGreaterThan(0);
  });
});

describe('a request Prism 5.14.2 alone would die of', () => {
  it('an unknown field whose name no HTTP header can carry gets the 400, and the mock lives on (stoplightio/prism#1934)', async () => {
    const response = await fetch(endpoint, {
      method: 'PUT',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ 監査: 1 }),
    });
    expect(response.status).toBe(400);
    // The header is escaped JSON, and still names the field.
    expect(response.headers.get('sl-violations')).toMatch(/^[\x20-\x7e]*$/);
    expect(JSON.stringify(JSON.parse(response.headers.get('sl-violations')!))).toContain('監査');
    expect((await fetch(endpoint, { headers: { authorization } })).status).toBe(200);
  });
});
