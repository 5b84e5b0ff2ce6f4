/**
 * What the benchmarks' bare server answers: the spec's first example of GET 200, which is the
 * reference page's example body, read from the bundled spec rather than written again here.
 */
import { readFileSync } from 'node:fs';
import { generatedDir } from '../project.ts';

export const PATH = '/v1/cluster/auditing/db_conns';

const spec = JSON.parse(readFileSync(`${generatedDir}/openapi.deref.json`, 'utf8'));
const examples = spec.paths[PATH].get.responses['200'].content['application/json'].examples;
export const PAGE_EXAMPLE: Readonly<Record<string, unknown>> = (Object.values(examples)[0] as { value: Record<string, unknown> }).value;

/** Credentials the mock accepts (any Basic credentials do); sent to the bare server too, so both parse the same header. */
export const AUTH_HEADERS = {
  Accept: 'application/json',
  Authorization: `Basic ${btoa('admin@example.com:secret')}`,
} as const;
