/**
 * npm run mock [-- --stateless]: serves the bundled spec with Prism, on 127.0.0.1:4010 unless
 * HOST or PORT say otherwise, logging one line per request.
 *
 * By default the mock keeps one configuration, starting as the reference page's example, and
 * answers as a cluster would (scripts/lib/mock-state.cjs); --stateless gives Prism as it is,
 * every answer an example from the spec. Ctrl-C, SIGTERM, SIGHUP, or the end of the npm
 * process that launched it, stops Prism and exits (scripts/lib/shutdown.ts).
 */
import { parseArgs } from 'node:util';
import { operations } from '../generated/operations.js';
import type { RunningPrism } from './lib/prism.ts';

function usageError(message: string): never {
  console.error(`mock: ${message}`);
  process.exit(2);
}

let stateless = false;
try {
  stateless = Boolean(parseArgs({ options: { stateless: { type: 'boolean' } } }).values.stateless);
} catch (error) {
  usageError(`${error instanceof Error ? error.message : String(error)}; the one option is --stateless`);
}
const host = process.env.HOST || '127.0.0.1';
const port = Number(process.env.PORT || 4010);
const PATH = operations.getDbConnsAuditingConfig.path;
if (!Number.isInteger(port) || port < 1 || port > 65535)
  usageError(`PORT must be a whole number from 1 to 65535, got "${process.env.PORT}"`);

// Loaded once the arguments are good: a usage error answers without loading them.
const [{ PortInUseError, startPrism }, { mockOptions }, { onShutdown }] = await Promise.all([
  import('./lib/prism.ts'),
  import('./lib/request-log.ts'),
  import('./lib/shutdown.ts'),
]);

let prism: RunningPrism | undefined;
onShutdown(async () => {
  await prism?.stop(); // before Prism answers, execa stops it as this process exits
  process.exit(0);
});

try {
  prism = await startPrism({ host, port, ...mockOptions(console.log, { stateless }) });
  console.log(`Mock of ${PATH} serving on ${prism.url} (Ctrl-C stops it)`);
  console.log(
    stateless
      ? 'Stateless: every answer is an example from the spec.'
      : 'Keeps one configuration: PUT changes it, GET reads it, DELETE resets it. Prefer: code=N forces any documented answer.',
  );
  console.log(`Try: curl -u admin@example.com:secret ${prism.url}${PATH}`);
} catch (error) {
  if (error instanceof PortInUseError) {
    console.error(`mock: ${error.message}; stop what uses it or choose another with PORT=4011 npm run mock`);
  } else {
    console.error(`mock: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
}
