/**
 * Prism's own library packages, as this mock uses them: the contract's operations read once per
 * process, an instance made of Prism's components with the mocker of our choice, and the few
 * shapes of Prism's values that the mock reads. Prism's values are fp-ts `Either`s and
 * `TaskEither`s; they are read here by their `_tag`, so that fp-ts need not be a dependency.
 */
import { createRequire } from 'node:module';
import { createLogger } from '@stoplight/prism-core';
import * as http from '@stoplight/prism-http';
import * as mocker from '@stoplight/prism-http/dist/mocker/index.js';
import { getHttpConfigFromRequest } from '@stoplight/prism-http-server/dist/getHttpConfigFromRequest.js';

/**
 * Prism's packages are bundled into this package's build (packages/mock/scripts/build.ts), and
 * loaded with the module that needs them: the bin parses its arguments before it imports the
 * mock, so its `--help` and a usage error load none of them (verify's module needs them, so
 * `verify --help` loads them, in about 0.2 s). Their types are not the shapes read
 * here (fp-ts values, read by `_tag`): they are used through `any`, and typed below.
 */
const prism = {
  http: http as any,
  // A CommonJS module's `exports.default`: imported as a namespace, its `default` is the module's exports.
  mocker: (mocker.default as unknown as { default: Mocker }).default,
  getHttpConfigFromRequest: getHttpConfigFromRequest as any,
  // Prism's logger, silent and writing nowhere (pino otherwise opens a stream on stdout): each
  // mock reports its exchanges itself, one line each.
  logger: createLogger('mock', { level: 'silent' }, { write: () => {} }),
};

// The contract package stays a dependency of its own, not bundled: its spec files are JSON, read by require.
const load = createRequire(import.meta.url);

/** The contract package's bundled spec: the one source of what the mock serves. */
export const spec = load('redis-software-auditing-db-conns/openapi.json') as Spec;

/** The same, with every reference resolved: each schema's defaults and each response's examples in place. */
export const dereferenced = load('redis-software-auditing-db-conns/openapi.deref.json') as Spec;

/**
 * The path this contract is about, the auditing configuration's (its operation ids are what the
 * contract's client calls). The spec's other paths are the switches that turn auditing on,
 * described in part.
 */
export const CONTRACT_PATH = Object.keys(spec.paths).find((path) => spec.paths[path]!.get?.operationId === 'getDbConnsAuditingConfig')!;

export interface Spec {
  paths: Record<string, Record<string, any>>;
  components: Record<string, Record<string, any>>;
}

/** One operation of the spec as Prism reads it (IHttpOperation). */
export interface Operation {
  method: string;
  path: string;
  /** The operationId. */
  iid?: string;
  responses: { code: string; contents?: { mediaType: string; examples?: { key: string; value: unknown }[] }[] }[];
}

export interface Input {
  method: string;
  url: { path: string; baseUrl?: string; query: Record<string, string | string[]> };
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface Output {
  statusCode: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A finding of Prism's validators. `severity` 0 is an error, 1 a warning. */
export interface Validation {
  path?: (string | number)[];
  code?: string | number;
  message: string;
  severity: number;
}

export type Either<L, R> = { _tag: 'Left'; left: L } | { _tag: 'Right'; right: R };

/** Prism's error answers: a problem+json with a status. */
export interface Problem extends Error {
  status?: number;
  detail?: string;
  additional?: { headers?: Record<string, string> };
}

/** What Prism's `mock` component is given, and how it answers. */
export interface MockArgs {
  resource: Operation;
  input: { data: Input; validations: Validation[] };
  config: MockConfig;
}
export interface MockConfig {
  code?: number;
  exampleKey?: string;
  dynamic?: boolean;
}
export type Mocker = (args: MockArgs) => (logger: unknown) => Either<Error, Output>;

/** Prism's own mocker: it negotiates the status, the media type and the example. */
export const prismMocker: Mocker = (args) => prism.mocker(args);

/** Prism's reading of the `Prefer` header (or the `__code`-style query), from its HTTP server. */
export const preferences = (input: Input): Either<Problem, MockConfig> => prism.getHttpConfigFromRequest(input);

export const toProblemJson = (problem: Problem): Record<string, unknown> => prism.http.ProblemJsonError.toProblemJson(problem);

/** Prism's 500 for an answer that breaks the contract, as `prism proxy --errors` gives it. */
export const violationsProblem = (violations: Validation[]): Problem =>
  prism.http.ProblemJsonError.fromTemplate(
    prism.http.VIOLATIONS,
    'The answer is not valid against the contract, so it was replaced by this report.',
    {
      validation: violations.map((validation) => ({
        location: ['response', ...(validation.path ?? [])],
        severity: validation.severity === 0 ? 'Error' : 'Warning',
        code: validation.code,
        message: validation.message,
      })),
    },
  );

/** An OpenAPI document's operations as Prism reads them (it dereferences what it is given). */
export const operationsOf = (document: string | object): Promise<Operation[]> => prism.http.getHttpOperationsFromSpec(document);

/** An operation's operationId, which Prism keeps as its `iid`. */
export const operationId = (operation: Operation): string | undefined => operation.iid;

let operations: Promise<Operation[]> | undefined;
/** The spec's operations: read once per process, so that a second mock in the same process starts at once. */
export function contractOperations(): Promise<Operation[]> {
  operations ??= operationsOf(structuredClone(spec));
  return operations;
}

export interface Instance {
  request: (input: Input, operations: Operation[], config: object) => () => Promise<Either<Problem, Answer>>;
}
export interface Answer {
  output: Output;
  validations: { input: Validation[]; output: Validation[] };
}

export interface InstanceOptions {
  /** The mocker: Prism's own unless given (a proxy forwards instead). */
  mock?: Mocker;
  proxy?: { upstream: URL };
  validateResponse: boolean;
}

/** A Prism instance of Prism's components, with the mocker given (`createInstance` takes components of one's own). */
export function prismInstance({ mock, proxy, validateResponse }: InstanceOptions): { instance: Instance; config: { mock: object } } {
  const config = {
    validateRequest: true,
    validateResponse,
    checkSecurity: true,
    // Prism's forwarder refuses a request its validators found invalid only when `errors` is on.
    errors: proxy !== undefined,
    upstreamProxy: undefined,
    mock: { dynamic: false },
    ...(proxy ? { isProxy: true, upstream: proxy.upstream } : { isProxy: false }),
  };
  const components = { logger: prism.logger, ...(mock ? { mock } : {}) };
  return { instance: prism.http.createInstance(config as any, components as any) as unknown as Instance, config };
}
