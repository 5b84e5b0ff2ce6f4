/**
 * npm run mock: serves the bundled spec with Prism, on 127.0.0.1:4010 unless HOST or PORT say
 * otherwise, logging one line per request. Ctrl-C stops Prism and exits.
 */
import { PortInUseError, startPrism } from './lib/prism.ts';
import { mockOptions } from './lib/request-log.ts';

const host = process.env.HOST || '127.0.0.1';
const port = Number(process.env.PORT || 4010);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`mock: PORT must be a whole number from 1 to 65535, got "${process.env.PORT}"`);
  process.exit(2);
}

try {
  const prism = await startPrism({ host, port, ...mockOptions(console.log) });
  console.log(`Mock of /v1/cluster/auditing/db_conns serving on ${prism.url} (Ctrl-C stops it)`);
  console.log(`Try: curl -u admin@example.com:secret ${prism.url}/v1/cluster/auditing/db_conns`);
  const shutdown = async () => {
    await prism.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (error) {
  if (error instanceof PortInUseError) {
    console.error(`mock: ${error.message}; stop what uses it or choose another with PORT=4011 npm run mock`);
  } else {
    console.error(`mock: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
}
