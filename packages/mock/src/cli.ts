#!/usr/bin/env node
/**
 * redis-auditing-mock: the mock on 127.0.0.1:4010, or `verify` in front of a real cluster.
 * One process, Prism in it; Ctrl-C, SIGTERM or SIGHUP stops it, and so does the end of the
 * process that launched it.
 */
import { parseArgs } from 'node:util';
import { cannotStart, onShutdown, portFrom, usageError } from './command.js';
import { DEFAULTS } from './defaults.js';
import type { Exchange } from './state.js';

const MOCK_HELP = `Usage: redis-auditing-mock [--port N] [--host ADDRESS] [--redis-version V] [--stateless]
       redis-auditing-mock verify <cluster URL> [options]   (verify --help says more)

Serves the Redis Software REST API's /v1/cluster/auditing/db_conns as a cluster would: PUT
changes the configuration, GET reads it, DELETE resets it, and every answer is one the
contract documents. The rendered API docs are at /docs.

  --port N         the port (default 4010, or PORT; 0 picks a free one)
  --host ADDRESS   the address to listen on (default 127.0.0.1, or HOST)
  --redis-version V  play Redis Software V, such as 7.4 or 8.0.2 (default the newest the
                   contract documents): fields, records and Basic as that version has them,
                   and before 6.2.18 no such path (404). The versions where the contract
                   changes come from its x-introduced-in annotations.
  --stateless      Prism as it is: every answer an example from the spec, nothing kept
  --audit-any-host let the audit sender connect to any host a PUT names (by default only
                   loopback addresses and Unix sockets: a mock must not reach anywhere)
  --report FILE    on stop, write every exchange with its violations, and the coverage (how
                   often each documented status and named example was seen), as JSON
  --junit FILE     on stop, write each exchange as a JUnit test case, failed by its violations
  --json           for programs: stdout is JSON lines, first {"url": …} once it listens,
                   then one object per exchange (its method, path, status and violations)
  --help           this text

The one user is admin@example.com with password secret, or the fixed bearer token mock-token
(MOCK_USER, MOCK_PASSWORD and MOCK_TOKEN change them), or a token from POST
/v1/users/authorize, signed for its ttl. Prefer: code=N (and example=NAME) forces any documented answer. One line is printed
per request, and one per violation of the contract.

The admin API under /__mock/ steers it: the scenario (PUT /__mock/scenario), faults for the
next requests (PUT /__mock/faults), what it saw (GET /__mock/requests), and POST
/__mock/reset. Its OpenAPI document is admin.openapi.yaml in this package.

Exit status: 0 once stopped, 2 for a usage error or a port it cannot listen on.`;

async function mock(argv: string[]): Promise<void> {
  const command = 'redis-auditing-mock';
  let values: {
    port?: string;
    host?: string;
    'redis-version'?: string;
    stateless?: boolean;
    'audit-any-host'?: boolean;
    report?: string;
    junit?: string;
    json?: boolean;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'redis-version': { type: 'string' },
        stateless: { type: 'boolean' },
        'audit-any-host': { type: 'boolean' },
        report: { type: 'string' },
        junit: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    usageError(command, (error as Error).message, `${command} --help`);
  }
  if (values.help) {
    console.log(MOCK_HELP);
    return;
  }
  const port =
    values.port !== undefined
      ? portFrom(command, '--port', values.port, DEFAULTS.port)
      : portFrom(command, 'PORT', process.env.PORT, DEFAULTS.port);
  const host = values.host || process.env.HOST || DEFAULTS.host;
  // Checked before Prism loads: a version the mock cannot place is a usage error, in one line.
  const { NEWEST_VERSION, VersionError, placeVersion } = await import('./versions.js');
  let redisVersion = NEWEST_VERSION;
  try {
    if (values['redis-version'] !== undefined) redisVersion = placeVersion(values['redis-version'], '--redis-version');
  } catch (error) {
    if (!(error instanceof VersionError)) throw error;
    usageError(command, error.message, `${command} --help`);
  }
  const user = process.env.MOCK_USER || undefined;
  const password = process.env.MOCK_PASSWORD || undefined;
  const token = process.env.MOCK_TOKEN || undefined;

  // Loaded once the arguments are good: --help and a usage error answer without loading Prism.
  const [{ CONTRACT_PATH, DEFAULT_USER, startMock }, { writeReports }] = await Promise.all([import('./index.js'), import('./report.js')]);
  const started = new Date().toISOString();
  const exchanges: Exchange[] = [];
  const mock = await startMock({
    port,
    host,
    redisVersion,
    stateless: values.stateless,
    auditAnyHost: values['audit-any-host'],
    user,
    password,
    token,
    onExchange: (exchange) => {
      if (values.report || values.junit) exchanges.push(exchange);
      if (values.json) return void process.stdout.write(`${JSON.stringify(exchange)}\n`);
      let lines = `${exchange.method} ${exchange.path} -> ${exchange.status}\n`;
      for (const violation of exchange.violations) lines += `  violation: ${violation.where} ${violation.what}\n`;
      process.stdout.write(lines);
    },
  }).catch((error: unknown) => cannotStart(command, error, port));
  onShutdown(async () => {
    await mock.stop();
    writeReports(values, { tool: command, started, exchanges, examples: true });
    process.exit(0);
  });
  // A program reads that the mock is ready from one JSON line, not from the banner's words.
  if (values.json)
    return console.log(JSON.stringify({ url: mock.url, docs: `${mock.url}/docs`, path: CONTRACT_PATH, redis_version: redisVersion }));
  console.log(`Mock of ${CONTRACT_PATH} serving on ${mock.url} (Ctrl-C stops it)`);
  console.log(
    `Plays Redis Software ${redisVersion}${values['redis-version'] === undefined ? ' (the newest documented; --redis-version V changes it)' : ''}.`,
  );
  console.log(
    values.stateless
      ? 'Stateless: every answer is an example from the spec.'
      : 'Keeps one configuration: PUT changes it, GET reads it, DELETE resets it. Prefer: code=N forces any documented answer.',
  );
  console.log(`Docs: ${mock.url}/docs`);
  console.log(
    `Try: curl -u ${user ?? DEFAULT_USER.name}:${password === undefined ? DEFAULT_USER.password : '…'} ${mock.url}${CONTRACT_PATH}`,
  );
}

const [first, ...rest] = process.argv.slice(2);
if (first === 'verify') await (await import('./verify.js')).verify(rest);
else await mock(process.argv.slice(2));
