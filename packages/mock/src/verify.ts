/**
 * redis-auditing-mock verify <cluster URL>: checks a real cluster against the contract. A
 * proxy on loopback hands each request to Prism's proxy (its forwarder, in this process), which
 * checks the request, sends it on to the cluster, and checks the answer; the findings come back
 * as data, and each is reported with what and where.
 */
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { resolve } from 'node:path';
import { rootCertificates } from 'node:tls';
import { parseArgs } from 'node:util';
import { createAuditingClient } from 'redis-software-auditing-db-conns';
import { cannotStart, onShutdown, portFrom, usageError } from './command.js';
import { DEFAULTS } from './defaults.js';
import { type Incoming, type Outgoing, answerOf, ask, jsonOf, problemOf, toInput, violationsOf } from './exchange.js';
import { serve } from './server.js';
import type { Violation } from './state.js';
import { type Answer, CONTRACT_PATH as PATH, type Problem, contractOperations, prismInstance, violationsProblem } from './prism.js';
import { type Seen, type VersionsSeen, operationOf, writeReports } from './report.js';
import { type VersionEvidence, consistent, describeRange, evidenceOf, intersect } from './versions.js';

const COMMAND = 'redis-auditing-mock verify';

const HELP = `Usage: redis-auditing-mock verify <cluster URL> [--port N] [--ca FILE] [--report FILE] [--junit FILE]

Checks a real cluster against this contract. A local proxy sends each request you send it on
to the cluster, and reports every request and response that breaks the contract of
${PATH}: what is wrong, and where (request or response, and the field).

  <cluster URL>  the cluster's REST API, such as https://cluster.example.com:9443
  --port N       the local port to listen on (default 4010; 0 picks a free one)
  --ca FILE      trust this CA certificate (PEM) for the cluster's TLS certificate, such as
                 the cluster's own self-signed one. The environment variable
                 NODE_EXTRA_CA_CERTS=FILE does the same.
  --report FILE  on stop, write every exchange with its violations, and the coverage (how
                 often each documented status was seen), as JSON
  --junit FILE   on stop, write each exchange as a JUnit test case, failed by its violations
  --help         this text

Credentials: your requests carry their own (curl -u user:password ...), passed on as they
are. At start the proxy sends one read-only GET of its own, as REDIS_USER with
REDIS_PASSWORD from the environment (skipped when they are not set). It sends nothing else
of its own, so it never writes to the cluster unless a request of yours does. It never
prints a password.

A request that breaks the contract is answered by the proxy (422, or 401 without Basic or
bearer credentials) and never reaches the cluster. A response that breaks it reaches you as a 500
application/problem+json listing the violations; a status the operation does not declare is
reported and passed on as it is.

The answers also tell which Redis Software versions the cluster can be, from the contract's
x-introduced-in annotations (an answer with audit_queue_max_bytes: 8.2 or later; a 404 on the
path: before 6.2.18): the summary, the report and the JUnit output name that range.

Ctrl-C stops the proxy and prints a summary. Exit status: 0 when no violation was seen,
1 when at least one was, 2 for a usage error or a proxy that could not start.`;

/** What verify saw of one exchange. */
export interface Checked {
  method: string;
  path: string;
  status: number;
  violations: Violation[];
  /** Why the exchange was not (fully) checked or not sent, when so. */
  note?: string;
  /** False when the contract could not be checked: the cluster gave no answer. */
  checked: boolean;
  /** What the cluster's answer says of its Redis Software version, from the contract's annotations. */
  evidence?: VersionEvidence[];
}

interface Settings {
  upstream: string;
  port: number;
  caFile?: string;
  report?: string;
  junit?: string;
}

const fail = (message: string): never => usageError(COMMAND, message, `${COMMAND} --help`);

function readSettings(argv: string[]): Settings | undefined {
  let parsed: { values: { port?: string; ca?: string; report?: string; junit?: string; help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        port: { type: 'string' },
        ca: { type: 'string' },
        report: { type: 'string' },
        junit: { type: 'string' },
        help: { type: 'boolean' },
      },
    });
  } catch (error) {
    return fail((error as Error).message);
  }
  if (parsed.values.help) return undefined;
  const [upstream, ...extra] = parsed.positionals;
  if (!upstream) fail("give the cluster's address, such as https://cluster.example.com:9443");
  if (extra.length) fail(`one cluster address only, got also: ${extra.join(' ')}`);
  let url: URL;
  try {
    url = new URL(upstream!);
  } catch {
    return fail(`"${upstream}" is not a URL; give one such as https://cluster.example.com:9443`);
  }
  if (!['https:', 'http:'].includes(url.protocol)) fail('the cluster address must start with https:// (or http://)');
  if (url.username || url.password)
    fail('keep credentials out of the URL: your requests carry them, and REDIS_USER / REDIS_PASSWORD the first GET');
  if (url.pathname !== '/' || url.search || url.hash)
    fail("give the cluster's address without a path, such as https://cluster.example.com:9443");
  const port = portFrom(COMMAND, '--port', parsed.values.port, DEFAULTS.port);
  const caFile = parsed.values.ca === undefined ? undefined : resolve(parsed.values.ca);
  if (caFile !== undefined) {
    let pem = '';
    try {
      pem = readFileSync(caFile, 'utf8');
    } catch (error) {
      fail(`cannot read --ca ${caFile}: ${(error as NodeJS.ErrnoException).code ?? error}`);
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) fail(`--ca ${caFile} holds no PEM certificate`);
  }
  return { upstream: url.origin, port, caFile, report: parsed.values.report, junit: parsed.values.junit };
}

/** Starts the checking proxy in front of `upstream`; each exchange is handed to `onExchange` before its answer is made. */
export async function startVerify(options: { upstream: string; port: number; host?: string; onExchange: (checked: Checked) => void }) {
  const operations = await contractOperations();
  const { instance, config } = prismInstance({ proxy: { upstream: new URL(options.upstream) }, validateResponse: true });

  async function respond(request: Incoming): Promise<Outgoing> {
    const { url } = request;
    const base = { method: request.method, path: url.pathname + url.search };
    // A body that is not JSON goes to Prism as text: its validators say what is wrong with it.
    const { input } = toInput(request);
    const result = await ask(instance, operations, config, input);
    if (result._tag === 'Left') {
      options.onExchange({ ...base, status: result.left.status ?? 500, ...readProblem(result.left) });
      return problemOf(result.left);
    }
    const violations = violationsOf(result.right);
    // Read from the cluster's own answer, before any replacement: its status and body are what tell versions apart.
    const evidence = evidenceOf({
      ...base,
      status: result.right.output.statusCode,
      requestBody: input.body,
      responseBody: result.right.output.body,
    });
    const errors = violations.filter((violation) => violation.where.startsWith('response') && violation.severity === 'error');
    if (errors.length === 0) {
      options.onExchange({ ...base, status: result.right.output.statusCode, violations, checked: true, evidence });
      return answerOf(withoutSizeHeaders(result.right));
    }
    // Prism's --errors behaviour: an answer that breaks the contract does not reach the caller as if it kept it.
    options.onExchange({
      ...base,
      status: 500,
      violations,
      note: "the cluster's answer was replaced by Prism's 500",
      checked: true,
      evidence,
    });
    return problemOf(violationsProblem(result.right.validations.output));
  }

  const served = await serve(
    (request) =>
      respond(request).catch((error: unknown) =>
        jsonOf(502, { error_code: 'verify_error', description: error instanceof Error ? error.message : String(error) }),
      ),
    { port: options.port, host: options.host },
  );
  return { url: served.url, port: served.port, close: served.close };
}

/** The cluster's length and encoding headers no longer describe the body as it is sent on. */
function withoutSizeHeaders(answer: Answer): Answer {
  const headers = Object.fromEntries(
    Object.entries(answer.output.headers ?? {}).filter(([name]) => !['content-length', 'content-encoding'].includes(name.toLowerCase())),
  );
  return { ...answer, output: { ...answer.output, headers } };
}

/** What one of Prism's refusals says about the exchange. */
function readProblem(problem: Problem): Pick<Checked, 'violations' | 'note' | 'checked'> {
  const kind = problem.name.split('#')[1];
  const notSent = 'not sent to the cluster';
  const validation = (problem as { additional?: { validation?: { location?: string[]; message: string; severity: string }[] } }).additional
    ?.validation;
  switch (kind) {
    case 'UNPROCESSABLE_ENTITY':
      return {
        violations: (validation ?? []).map((item) => ({
          where: ['request', ...(item.location ?? [])].join('.'),
          what: item.message,
          severity: item.severity === 'Warning' ? 'warning' : 'error',
        })),
        note: notSent,
        checked: true,
      };
    case 'UNAUTHORIZED':
      return {
        violations: [
          {
            where: 'request.header.authorization',
            what: `${problem.message}: the operation needs HTTP Basic credentials or a bearer token`,
            severity: 'error',
          },
        ],
        note: notSent,
        checked: true,
      };
    case 'NO_METHOD_MATCHED_ERROR':
      return {
        violations: [{ where: 'request.method', what: problem.detail || problem.message, severity: 'error' }],
        note: notSent,
        checked: true,
      };
    case 'NO_PATH_MATCHED_ERROR':
      return { violations: [], note: `not part of this contract, ${notSent}`, checked: true };
    default: // the cluster could not be reached: a refused connection, a certificate it does not trust...
      return { violations: [], note: `not checked: ${problem.message}`, checked: false };
  }
}

/** Prints each exchange as one line, and each violation under it; keeps the counts. */
function reporter() {
  const counts = { exchanges: 0, request: 0, response: 0, unchecked: 0 };
  const print = (exchange: Checked) => {
    counts.exchanges++;
    let lines = `${exchange.method} ${exchange.path} -> ${exchange.status}${exchange.note ? ` (${exchange.note})` : ''}\n`;
    if (!exchange.checked) counts.unchecked++;
    for (const violation of exchange.violations) {
      counts[violation.where.startsWith('request') ? 'request' : 'response']++;
      lines += `  violation at ${violation.where}${violation.severity === 'warning' ? ' (warning)' : ''}: ${violation.what}\n`;
    }
    process.stdout.write(lines);
  };
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const summary = () =>
    `verify: ${plural(counts.request + counts.response, 'violation')} in ${plural(counts.exchanges, 'exchange')} ` +
    `(${counts.request} in requests, ${counts.response} in responses)` +
    (counts.unchecked ? `; ${counts.unchecked} not checked` : '');
  return { print, summary, violations: () => counts.request + counts.response };
}

/**
 * The versions the answers so far are consistent with: every piece of evidence, each said once,
 * and the range they all allow. None seen: nothing is known.
 */
function versionsOf(seen: VersionEvidence[]): VersionsSeen {
  const evidence = [...new Map(seen.map((item) => [item.why, item])).values()];
  const range = intersect(evidence.map((item) => item.range));
  const text = evidence.length === 0 ? 'unknown: no answer from the cluster told a version' : describeRange(range);
  return { ...range, consistent: consistent(range), text, evidence };
}

/** The one request of its own: a read-only GET through the proxy, with this package's client, checked like any other. */
async function firstGet(proxyUrl: string): Promise<void> {
  const username = process.env.REDIS_USER;
  const password = process.env.REDIS_PASSWORD;
  if (!username || password === undefined) {
    console.log('REDIS_USER and REDIS_PASSWORD are not both set: no GET of my own.');
    return;
  }
  console.log(`First check: GET ${PATH} as ${username}`);
  // Whatever it answers is reported by the proxy; the client's own error (credentials redacted) says only that it failed.
  await createAuditingClient({ baseUrl: proxyUrl, username, password, timeoutMs: 30_000 })
    .get()
    .catch(() => undefined);
}

export async function verify(argv: string[]): Promise<void> {
  const settings = readSettings(argv);
  if (!settings) {
    console.log(HELP);
    return;
  }
  if (settings.caFile) {
    // Prism's forwarder sends through Node's global HTTPS agent: it trusts the CA given, beside the usual ones.
    https.globalAgent = new https.Agent({ ca: [...rootCertificates, readFileSync(settings.caFile, 'utf8')] });
  }
  const report = reporter();
  const started = new Date().toISOString();
  const seen: Seen[] = [];
  const evidence: VersionEvidence[] = [];
  const onExchange = (checked: Checked) => {
    evidence.push(...(checked.evidence ?? []));
    const operation = operationOf(checked.method, checked.path);
    const { evidence: _, ...exchange } = checked;
    if (settings.report || settings.junit) seen.push({ ...exchange, ...(operation ? { operation } : {}) });
    report.print(checked);
  };
  const proxy = await startVerify({ upstream: settings.upstream, port: settings.port, onExchange }).catch((error: unknown) =>
    cannotStart(COMMAND, error, settings.port),
  );
  onShutdown(async () => {
    await proxy.close();
    const versions = versionsOf(evidence);
    writeReports(settings, { tool: COMMAND, started, exchanges: seen, examples: false, versions });
    console.log(`verify: the answers fit ${versions.text}`);
    console.log(report.summary());
    process.exit(report.violations() > 0 ? 1 : 0);
  });
  await firstGet(proxy.url);
  console.log(`Proxying ${settings.upstream} on ${proxy.url}, checking ${PATH} (Ctrl-C stops it)`);
  console.log(`Try: curl -u USER ${proxy.url}${PATH}`);
}
