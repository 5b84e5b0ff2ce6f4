/**
 * The mock as MSW's request handlers: code under test that calls `fetch` on the cluster's URL
 * gets the mock's answers, with its state, with no port and no change to that code.
 *
 *   const mock = createMock();
 *   const server = setupServer(...auditingHandlers(mock, 'https://cluster.example.com:9443'));
 *
 * `msw` (2 or 3) is an optional peer dependency: only this subpath imports it.
 */
import { http, type RequestHandler } from 'msw';
import type { Mock } from './core.js';

/** Every request to `baseUrl`'s origin, answered by `mock` as the cluster at that address would. */
export function auditingHandlers(mock: Pick<Mock, 'handle'>, baseUrl: string | URL): RequestHandler[] {
  const { origin } = new URL(baseUrl);
  return [http.all(`${origin}/*`, ({ request }) => mock.handle(request))];
}
