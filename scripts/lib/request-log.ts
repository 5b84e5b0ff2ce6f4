/**
 * How `npm run mock` runs Prism: keeping one configuration (mock-state.cjs) unless stateless,
 * at the `warn` level, with the one-line-per-request log that prism-preload.cjs writes as each
 * response finishes:
 *
 *   GET /v1/cluster/auditing/db_conns -> 200
 *   PUT /v1/cluster/auditing/db_conns -> 400
 *     violation: request.body.audit_port Request body property audit_port must be integer
 *
 * The benchmarks start the mock with the same options.
 */
import type { PrismOptions } from './prism.ts';

const REQUEST_LOG = /^request-log: (.*)$/;
const FATAL = /\[CLI\].*✖\s+(?:error|fatal)\s+(.*)$/;

export function mockOptions(print: (line: string) => void, { stateless = false }: { stateless?: boolean } = {}): PrismOptions {
  return {
    logLevel: 'warn',
    env: { PRISM_REQUEST_LOG: '1', MOCK_STATE: stateless ? '0' : '1' },
    onLine: (line) => {
      const request = line.match(REQUEST_LOG);
      const fatal = request ? null : line.match(FATAL);
      if (request) print(request[1]!);
      else if (fatal) print(`prism: ${fatal[1]}`);
      // Prism's own per-request warnings repeat what the request log says.
    },
  };
}
