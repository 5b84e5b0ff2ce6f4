/**
 * What the tests (and the bench) know about the API, read from the bundled spec in generated/
 * rather than written again: the path, each operation with its permission, statuses, error
 * codes and examples, and the reference page's example bodies. A change to the spec is made in
 * the spec alone, and every test that depends on it follows.
 */
import { readFileSync } from 'node:fs';
import type { paths } from '../../generated/schema.d.ts';
import { PATH as CONTRACT_PATH } from '../../tools/page-examples.ts';
import { errorCodeEnum, generatedDir, operationsOf, type Json } from '../../tools/project.ts';

export type { Json };
export type Method = 'get' | 'put' | 'delete';

export const readGenerated = (name: string): Json => JSON.parse(readFileSync(`${generatedDir}/${name}`, 'utf8'));
export const bundled = readGenerated('openapi.json');
export const dereferenced = readGenerated('openapi.deref.json');

/** The contract's path (tools/page-examples.ts), a key of the generated `paths`, so that typed calls accept it. */
export const PATH = CONTRACT_PATH satisfies keyof paths;
export const operation = (method: Method): Json => dereferenced.paths[PATH][method];

/** A named example of a media type; `value` is the body. */
export interface Example {
  name: string;
  summary?: string;
  value: any;
}

export interface Operation {
  method: Method;
  operationId: string;
  summary: string;
  /** The permission its security requirement names. */
  permission: string;
  /** Every status it declares, `default` included. */
  statuses: string[];
  /** Every response but the 2xx: its status as written (`404`, `default`), its `error_code` values and examples. */
  errors: { status: string; codes: string[]; examples: Example[]; description: string }[];
  spec: Json;
}

const jsonMedia = (node: Json | undefined): Json | undefined => node?.content?.['application/json'];
const examplesOf = (media: Json | undefined): Example[] =>
  Object.entries((media?.examples ?? {}) as Json).map(([name, example]) => ({ name, summary: example.summary, value: example.value }));

/** The operations of the contract's path; the spec's other paths are the switches that turn auditing on (SWITCHES). */
export const OPERATIONS: Operation[] = [...operationsOf(dereferenced)]
  .filter(({ path }) => path === PATH)
  .map(({ method, operation: spec }) => ({
    method: method as Method,
    operationId: spec.operationId,
    summary: spec.summary,
    permission: Object.values(spec.security[0] as Json)[0][0],
    statuses: Object.keys(spec.responses),
    errors: Object.entries(spec.responses as Json)
      .filter(([status]) => !status.startsWith('2'))
      .map(([status, response]) => ({
        status,
        codes: errorCodeEnum(jsonMedia(response)?.schema),
        examples: examplesOf(jsonMedia(response)),
        description: response.description,
      })),
    spec,
  }));
export const operationFacts = (method: Method): Operation => OPERATIONS.find((candidate) => candidate.method === method)!;

/** The switches' operations (GET/PUT of the policy, a database, the cluster; authorize): partial descriptions. */
export const SWITCHES = [...operationsOf(dereferenced)].filter(({ path }) => path !== PATH);

/** Every error code the contract's path documents, each once. */
export const ERROR_CODES = [...new Set(OPERATIONS.flatMap((op) => op.errors.flatMap((error) => error.codes)))];

/** The status to ask the mock for: `default` has none of its own, and Prism serves it for any undeclared status. */
export const statusToAskFor = (status: string): string => (status === 'default' ? '409' : status);
if (OPERATIONS.some((op) => op.statuses.includes('409'))) throw new Error('409 is declared now: choose another status for `default`');

/** The reference page's example bodies: the first named example of GET 200 and of PUT's request. */
export { PAGE_RESPONSE_EXAMPLE, PAGE_REQUEST_EXAMPLE } from '../../tools/page-examples.ts';
export const requestExamples = (): Example[] => examplesOf(jsonMedia(operation('put').requestBody));
