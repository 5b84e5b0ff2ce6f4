/**
 * npm run verify -- <cluster URL> [--port N] [--ca FILE]
 *
 * Checks a real cluster against the contract: Prism, in proxy mode, stands in front of the
 * cluster and checks every request and response against the spec; a small front door on
 * loopback (scripts/lib/checking-proxy.ts) reports each violation, what and where. One
 * read-only GET of its own at start, with REDIS_USER / REDIS_PASSWORD; after that it sends
 * only what the user sends. Ctrl-C (or SIGTERM, SIGHUP, or the end of the npm process that
 * launched it) prints a summary line and exits.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { operations } from '../generated/operations.js';
import { basicAuth } from '../src/auth.ts';
import type { CheckingProxy, Exchange } from './lib/checking-proxy.ts';
import type { RunningPrism } from './lib/prism.ts';

/** The one path of the spec, which verify's own first request reads. */
const PATH = operations.getDbConnsAuditingConfig.path;
const HOST = '127.0.0.1';

const HELP = `Usage: npm run verify -- <cluster URL> [--port N] [--ca FILE]

Checks a real cluster against this contract. A local proxy sends each request you send it on
to the cluster, and reports every request and response that breaks the contract of
${PATH}: what is wrong, and where (request or response, and the field).

  <cluster URL>  the cluster's REST API, such as https://cluster.example.com:9443
  --port N       the local port to listen on (default 4010; 0 picks a free one)
  --ca FILE      trust this CA certificate (PEM) for the cluster's TLS certificate, such as
                 the cluster's own self-signed one. The environment variable
                 NODE_EXTRA_CA_CERTS=FILE does the same.
  --help         this text

Credentials: your requests carry their own (curl -u user:password ...), passed on as they
are. At start the proxy sends one read-only GET of its own, as REDIS_USER with
REDIS_PASSWORD from the environment (skipped when they are not set). It sends nothing else
of its own, so it never writes to the cluster unless a request of yours does. It never
prints a password.

A request that breaks the contract is answered by the proxy (422, or 401 without Basic or bearer
credentials) and never reaches the cluster. A response that breaks it reaches you as a 500
application/problem+json listing the violations; a status the operation does not declare is
reported and passed on as it is.

Ctrl-C stops the proxy and prints a summary line. Exit status: 0 when no violation was seen,
1 when at least one was, 2 for a usage error or a proxy that could not start.`;

interface Settings {
  upstream: string;
  port: number;
  caFile?: string;
}

function usageError(message: string): never {
  console.error(`verify: ${message}\nRun npm run verify -- --help for the usage.`);
  process.exit(2);
}

function readSettings(argv: string[]): Settings {
  const parsed = (() => {
    try {
      return parseArgs({
        args: argv,
        allowPositionals: true,
        options: { port: { type: 'string' }, ca: { type: 'string' }, help: { type: 'boolean' } },
      });
    } catch (error) {
      return usageError(error instanceof Error ? error.message : String(error));
    }
  })();
  if (parsed.values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const [upstream, ...extra] = parsed.positionals;
  if (!upstream) usageError("give the cluster's address, such as https://cluster.example.com:9443");
  if (extra.length) usageError(`one cluster address only, got also: ${extra.join(' ')}`);

  let url: URL;
  try {
    url = new URL(upstream);
  } catch {
    usageError(`"${upstream}" is not a URL; give one such as https://cluster.example.com:9443`);
  }
  if (!['https:', 'http:'].includes(url.protocol)) usageError('the cluster address must start with https:// (or http://)');
  if (url.username || url.password)
    usageError('keep credentials out of the URL: your requests carry them, and REDIS_USER / REDIS_PASSWORD the first GET');
  if (url.pathname !== '/' || url.search || url.hash)
    usageError("give the cluster's address without a path, such as https://cluster.example.com:9443");

  const port = Number(parsed.values.port ?? 4010);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    usageError(`--port must be a whole number from 0 to 65535, got "${parsed.values.port}"`);

  const caFile = parsed.values.ca === undefined ? undefined : resolve(parsed.values.ca);
  if (caFile !== undefined) {
    let pem = '';
    try {
      pem = readFileSync(caFile, 'utf8');
    } catch (error) {
      usageError(`cannot read --ca ${caFile}: ${(error as NodeJS.ErrnoException).code ?? error}`);
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) usageError(`--ca ${caFile} holds no PEM certificate`);
  }
  return { upstream: url.origin, port, caFile };
}

/** Prints each exchange as one line, and each violation under it; keeps the counts. */
function reporter() {
  const counts = { exchanges: 0, request: 0, response: 0, unchecked: 0 };
  const print = (exchange: Exchange) => {
    counts.exchanges++;
    console.log(`${exchange.method} ${exchange.path} -> ${exchange.status}${exchange.note ? ` (${exchange.note})` : ''}`);
    if (!exchange.checked) counts.unchecked++;
    for (const violation of exchange.violations) {
      counts[violation.where.startsWith('request') ? 'request' : 'response']++;
      console.log(`  violation at ${violation.where}${violation.severity === 'warning' ? ' (warning)' : ''}: ${violation.what}`);
    }
  };
  const summary = () => {
    const total = counts.request + counts.response;
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    return (
      `verify: ${plural(total, 'violation')} in ${plural(counts.exchanges, 'exchange')} ` +
      `(${counts.request} in requests, ${counts.response} in responses)` +
      (counts.unchecked ? `; ${counts.unchecked} not checked` : '')
    );
  };
  return { print, summary, violations: () => counts.request + counts.response };
}

/** The one request of its own: a read-only GET, sent through the proxy so that it is checked like any other. */
async function firstGet(proxyUrl: string) {
  const user = process.env.REDIS_USER;
  const password = process.env.REDIS_PASSWORD;
  if (!user || password === undefined) {
    console.log('REDIS_USER and REDIS_PASSWORD are not both set: no GET of my own.');
    return;
  }
  console.log(`First check: GET ${PATH} as ${user}`);
  try {
    const response = await fetch(`${proxyUrl}${PATH}`, {
      headers: { authorization: basicAuth(user, password), accept: 'application/json' },
      signal: AbortSignal.timeout(30_000),
    });
    await response.arrayBuffer();
  } catch (error) {
    console.log(`The first GET got no answer: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const settings = readSettings(process.argv.slice(2));
// Loaded once the arguments are good: --help and a usage error answer without loading them.
const [{ startCheckingProxy }, { startPrism }, { onShutdown }] = await Promise.all([
  import('./lib/checking-proxy.ts'),
  import('./lib/prism.ts'),
  import('./lib/shutdown.ts'),
]);
const report = reporter();
let prism: RunningPrism | undefined;
let proxy: CheckingProxy | undefined;

try {
  // Prism runs under Node, which reads NODE_EXTRA_CA_CERTS when it starts: --ca goes there.
  prism = await startPrism({
    mode: 'proxy',
    upstream: settings.upstream,
    // --errors: a request that breaks the contract is answered by Prism, never forwarded.
    extraArgs: ['--errors'],
    logLevel: 'error',
    // Prism needs no credentials of ours: none sit in its environment.
    env: { REDIS_USER: undefined, REDIS_PASSWORD: undefined, ...(settings.caFile ? { NODE_EXTRA_CA_CERTS: settings.caFile } : {}) },
  });
  proxy = await startCheckingProxy({ prism, port: settings.port, host: HOST, onExchange: report.print });
} catch (error) {
  await prism?.stop();
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`verify: port ${settings.port} on ${HOST} is already in use; choose another with --port`);
  } else {
    console.error(`verify: the proxy could not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(2);
}

const running = { prism, proxy };
onShutdown(async () => {
  await running.proxy.close();
  await running.prism.stop();
  console.log(report.summary());
  process.exit(report.violations() > 0 ? 1 : 0);
});

await firstGet(proxy.url);
console.log(`Proxying ${settings.upstream} on ${proxy.url}, checking ${PATH} (Ctrl-C stops it)`);
console.log(`Try: curl -u USER ${proxy.url}${PATH}`);
