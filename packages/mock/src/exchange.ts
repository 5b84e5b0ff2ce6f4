/**
 * One exchange with a Prism instance, as the mock and verify both make it: a request read into
 * Prism's input, Prism's answer (or its problem) made into an answer, and the violations Prism
 * found, as data. Prism's own HTTP server does this too, but owns its routes and its port;
 * owning the handler lets the mock serve its docs beside the contract, answer a body that is not
 * JSON in the contract's words, and answer with no port at all (`mock.fetch`, MSW).
 *
 * A request and an answer are plain values here (`Incoming`, `Outgoing`), and each door turns
 * them into its own: web `Request`/`Response` for `mock.handle`, `mock.fetch` and MSW, node:http's
 * for the server. Going through web objects on the server's way too cost a fifth of its
 * throughput (a Request, its AbortSignal, a Response and its body stream, for every request).
 */
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
import type { Violation } from './state.js';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
export const isJson = (contentType: string | undefined) => contentType !== undefined && JSON_TYPE.test(contentType);

/** A request, whichever door it came through. */
export interface Incoming {
  method: string;
  url: URL;
  /** By lower-case name. */
  headers: Record<string, string | string[] | undefined>;
  /** The body as text; null when there is none. */
  body: string | null;
}

/** An answer, for each door to send its own way. */
export interface Outgoing {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}

/** What a web `Request` holds, as the pipeline reads it. */
export async function fromRequest(request: Request): Promise<Incoming> {
  const body = request.body === null ? '' : await request.text();
  const headers: Incoming['headers'] = Object.fromEntries(request.headers);
  // What fetch adds on the wire, and a request that never left the process (mock.fetch, MSW)
  // lacks: Prism reads a body's presence from it.
  if (body && headers['content-length'] === undefined && headers['transfer-encoding'] === undefined)
    headers['content-length'] = String(Buffer.byteLength(body));
  return { method: request.method, url: new URL(request.url), headers, body: body || null };
}

/** An answer as a web `Response`; none (a reset connection) as the web's network error. */
export const toResponse = (answer: Outgoing | null): Response =>
  answer === null ? Response.error() : new Response(answer.body, { status: answer.status, headers: answer.headers });

/**
 * Prism's input for a request: the body parsed when it says it is JSON. A body that says so and
 * is not JSON stays text, with the parser's reason beside it.
 */
export function toInput({ method, url, headers, body }: Incoming): { input: Input; notJson?: string } {
  const query: Input['url']['query'] = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? values[0]! : values;
  }
  const input: Input = { method: method.toLowerCase(), url: { path: url.pathname, query }, headers, body };
  const contentType = headers['content-type'];
  if (body === null || !isJson(typeof contentType === 'string' ? contentType : undefined)) return { input };
  try {
    const parsed = JSON.parse(body);
    // JSON's `null` is a body, but Prism reads a null body as none, and would take it where a
    // body is optional: the text goes to Prism instead, whose validators say it is no object.
    return { input: parsed === null ? input : { ...input, body: parsed } };
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

/** Prism's answer, with its findings in the `sl-violations` header as Prism's own server sends them. */
export function answerOf(answer: Answer): Outgoing {
  const { output } = answer;
  const headers: Record<string, string> = { ...output.headers };
  const findings = [...answer.validations.input.map(headerFinding('request')), ...answer.validations.output.map(headerFinding('response'))];
  // A header carries only visible ASCII: \u escapes keep the JSON's meaning for a field name
  // such as "監査", which could not be sent as it is.
  if (findings.length) {
    const value = JSON.stringify(findings).replace(/[^\x20-\x7e]/g, unicodeEscape);
    // Cut as Prism's own server cuts it: a client refuses a header block much past 8 KB.
    headers['sl-violations'] = value.length > MAX_HEADER ? `Too many violations! ${value.slice(0, MAX_HEADER)}` : value;
  }
  const contentType = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  const body =
    output.body === undefined ? null : typeof output.body === 'string' && !isJson(contentType) ? output.body : JSON.stringify(output.body);
  return { status: output.statusCode, headers, body };
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

/** One of Prism's problems (a 401 it generated, a 405, a 422...) as problem+json. */
export function problemOf(problem: Problem, extraHeaders: Record<string, string> = {}): Outgoing {
  const headers = { 'content-type': 'application/problem+json', ...problem.additional?.headers, ...extraHeaders };
  return jsonOf(problem.status ?? 500, toProblemJson(problem), headers);
}

export const jsonOf = (
  status: number,
  body: unknown,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Outgoing => ({
  status,
  headers,
  body: JSON.stringify(body),
});

/** The methods a path has, for the Allow header HTTP asks of a 405 (Prism sends none). */
export const allowedMethods = (operations: Operation[], path: string) =>
  operations
    .filter((operation) => operation.path === path)
    .map((operation) => operation.method.toUpperCase())
    .join(', ');
