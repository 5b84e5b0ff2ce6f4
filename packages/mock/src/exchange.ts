/**
 * One HTTP exchange with a Prism instance, as the mock and verify both serve it: the request
 * read into Prism's input, Prism's answer (or its problem) written back, and the violations
 * Prism found, as data. Prism's own HTTP server does this too, but owns its routes; owning the
 * handler lets the mock serve its docs beside the contract and answer a body that is not JSON
 * in the contract's words.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type Answer,
  type Input,
  type Instance,
  type Operation,
  type Problem,
  type Validation,
  preferences,
  toProblemJson,
} from './prism.js';

/** One finding of Prism's about an exchange: where (`request.body.audit_port`), what, and how bad. */
export interface Violation {
  where: string;
  what: string;
  severity: 'error' | 'warning';
}

/** What the mock (or verify) saw of one exchange. */
export interface Exchange {
  method: string;
  path: string;
  /** The status the caller got back. */
  status: number;
  /** When the request came, as an ISO 8601 time. */
  time: string;
  violations: Violation[];
  /** The fault that answered it (PUT /__mock/faults), when one did. */
  fault?: 'fail' | 'reset_connection';
  /** The contract's operation it matched, by operationId. */
  operation?: string;
  /** The spec's named example it was answered with, when it was one. */
  example?: string;
}

/** The request's body as it came: `null` when there is none. */
export async function readBody(request: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const declared = request.headers['content-length'] !== undefined || request.headers['transfer-encoding'] !== undefined;
  return declared && body.length > 0 ? body : null;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
export const isJson = (contentType: string | undefined) => contentType !== undefined && JSON_TYPE.test(contentType);

/**
 * Prism's input for a request: the body parsed when it says it is JSON. A body that says so and
 * is not JSON stays text, with the parser's reason beside it.
 */
export function toInput(request: IncomingMessage, url: URL, body: Buffer | null): { input: Input; notJson?: string } {
  const query: Input['url']['query'] = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? values[0]! : values;
  }
  const input: Input = {
    method: (request.method ?? 'GET').toLowerCase(),
    url: { path: url.pathname, query },
    headers: request.headers,
    body: body?.toString('utf8') ?? null,
  };
  if (input.body === null || !isJson(request.headers['content-type'])) return { input };
  try {
    return { input: { ...input, body: JSON.parse(input.body as string) } };
  } catch (error) {
    return { input, notJson: error instanceof Error ? error.message : String(error) };
  }
}

/** Asks Prism for the answer to an input, with the `Prefer` header read as Prism's server reads it. */
export async function ask(
  instance: Instance,
  operations: Operation[],
  config: { mock: object },
  input: Input,
): Promise<{ _tag: 'Left'; left: Problem } | { _tag: 'Right'; right: Answer }> {
  const preferred = preferences(input);
  if (preferred._tag === 'Left') return preferred;
  return instance.request(input, operations, { ...config, mock: { ...config.mock, ...withoutUndefined(preferred.right) } })();
}

const withoutUndefined = (value: object) => Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined));

/** Prism's findings in the form users read: `request.body.audit_port`, the message, error or warning. */
export function violationsOf(answer: Answer): Violation[] {
  const of = (side: string) => (validation: Validation) => ({
    where: [side, ...(validation.path ?? [])].join('.'),
    what: validation.message,
    severity: validation.severity === 0 ? ('error' as const) : ('warning' as const),
  });
  return [
    ...answer.validations.input.filter((validation) => validation.severity <= 1).map(of('request')),
    ...answer.validations.output.filter((validation) => validation.severity <= 1).map(of('response')),
  ];
}

/** Writes Prism's answer, with its findings in the `sl-violations` header as Prism's own server does. */
export function sendAnswer(response: ServerResponse, answer: Answer): void {
  const { output } = answer;
  const findings = [...answer.validations.input.map(headerFinding('request')), ...answer.validations.output.map(headerFinding('response'))];
  // A header carries only visible ASCII: \u escapes keep the JSON's meaning for a field name
  // such as "監査", which Node would refuse to send as it is.
  if (findings.length) {
    const value = JSON.stringify(findings).replace(/[^\x20-\x7e]/g, unicodeEscape);
    // Cut as Prism's own server cuts it: a client refuses a header block much past 8 KB.
    response.setHeader('sl-violations', value.length > MAX_HEADER ? `Too many violations! ${value.slice(0, MAX_HEADER)}` : value);
  }
  for (const [name, value] of Object.entries(output.headers ?? {})) response.setHeader(name, value);
  const contentType = String(response.getHeader('content-type') ?? '');
  const body =
    output.body === undefined
      ? undefined
      : typeof output.body === 'string' && !isJson(contentType)
        ? output.body
        : JSON.stringify(output.body);
  response.writeHead(output.statusCode);
  response.end(body);
}

const MAX_HEADER = 8 * 1024 - 100;
const SEVERITY = ['Error', 'Warning', 'Information', 'Hint'];
const headerFinding = (side: string) => (validation: Validation) => ({
  location: [side, ...(validation.path ?? [])],
  severity: SEVERITY[validation.severity] ?? 'Error',
  code: validation.code,
  message: validation.message,
});
const unicodeEscape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Writes one of Prism's problems (a 401 it generated, a 405, a 422...) as problem+json. */
export function sendProblem(response: ServerResponse, problem: Problem, extraHeaders: Record<string, string> = {}): void {
  const headers = { 'content-type': 'application/problem+json', ...problem.additional?.headers, ...extraHeaders };
  sendJson(response, problem.status ?? 500, toProblemJson(problem), headers);
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): void {
  response.writeHead(status, headers);
  response.end(JSON.stringify(body));
}

/** The methods a path has, for the Allow header HTTP asks of a 405 (Prism sends none). */
export const allowedMethods = (operations: Operation[], path: string) =>
  operations
    .filter((operation) => operation.path === path)
    .map((operation) => operation.method.toUpperCase())
    .join(', ');
