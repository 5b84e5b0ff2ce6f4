/**
 * The front door of verify mode: a small HTTP server on loopback that hands each request, as
 * it came, to a Prism running `prism proxy --errors` in front of the cluster, hands Prism's
 * answer back as it came, and reads from that answer what broke the contract.
 *
 * Why a front door at all: with --errors, Prism writes the details of a violation only into
 * the answer (the `sl-violations` header, or the `validation` list of its problem+json body),
 * never into its log. Only something on the path of every answer can report them all.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { once } from 'node:events';
import { toViolation, violationsInHeader, type PrismViolation, type Violation } from './prism-violations.cjs';

export type { Violation };

export interface Exchange {
  method: string;
  path: string;
  /** The status the caller got back. */
  status: number;
  violations: Violation[];
  /** Why the exchange was not (fully) checked, when it was not: not part of the contract, the cluster unreachable... */
  note?: string;
  /** False when the contract could not be checked: the cluster or Prism gave no answer. */
  checked: boolean;
}

export interface CheckingProxy {
  url: string;
  port: number;
  close: () => Promise<void>;
}

const PROBLEM = 'https://stoplight.io/prism/errors#';
const FORWARD_TIMEOUT_MS = 60_000;
const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'proxy-connection', 'upgrade'];

export async function startCheckingProxy(options: {
  /** Where Prism listens. */
  prism: { host: string; port: number };
  port: number;
  host?: string;
  /** Called once per exchange, before the caller gets the answer. */
  onExchange: (exchange: Exchange) => void;
}): Promise<CheckingProxy> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer(async (request, response) => {
    const method = request.method ?? 'GET';
    const path = request.url ?? '/';
    let body: Buffer;
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      body = Buffer.concat(chunks);
    } catch {
      response.destroy(); // the caller went away mid-request: nothing to check, no one to answer
      return;
    }

    let answer: Answer;
    try {
      answer = await forward(options.prism, method, path, request.headers, body);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      options.onExchange({ method, path, status: 502, violations: [], note: `Prism did not answer: ${reason}`, checked: false });
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(`verify: Prism did not answer: ${reason}\n`);
      return;
    }
    options.onExchange({ method, path, status: answer.status, ...readAnswer(answer) });
    response.writeHead(answer.status, { ...withoutHopByHop(answer.headers), 'content-length': answer.body.length });
    response.end(answer.body);
  });

  server.listen(options.port, host);
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))]);
  const { port } = server.address() as { port: number };
  return {
    url: `http://${host}:${port}`,
    port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function forward(
  prism: { host: string; port: number },
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
): Promise<Answer> {
  const outgoing: OutgoingHttpHeaders = { ...withoutHopByHop(headers), host: `${prism.host}:${prism.port}` };
  // Prism reads a body only when a length says there is one.
  if (body.length > 0 || headers['content-length'] !== undefined || headers['transfer-encoding'] !== undefined)
    outgoing['content-length'] = body.length;
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: prism.host, port: prism.port, method, path, headers: outgoing }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('error', reject);
    // A cluster that never answers must not hold the caller forever.
    request.setTimeout(FORWARD_TIMEOUT_MS, () => request.destroy(new Error(`no answer within ${FORWARD_TIMEOUT_MS / 1000} s`)));
    request.end(body);
  });
}

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.includes(name.toLowerCase())));
}

/** What Prism's answer says about the exchange. */
export function readAnswer(answer: Answer): Pick<Exchange, 'violations' | 'note' | 'checked'> {
  const violations: Violation[] = [];
  const header = answer.headers['sl-violations'];
  if (typeof header === 'string') violations.push(...violationsInHeader(header));

  const problem = String(answer.headers['content-type'] ?? '').startsWith('application/problem+json')
    ? parseJson(answer.body.toString('utf8'))
    : undefined;
  if (!isObject(problem) || typeof problem.type !== 'string') return { violations, checked: true };

  const list = Array.isArray(problem.validation) ? (problem.validation as PrismViolation[]) : [];
  const title = typeof problem.title === 'string' ? problem.title : 'an error';
  const detail = typeof problem.detail === 'string' && problem.detail ? problem.detail : title;
  switch (problem.type) {
    case `${PROBLEM}VIOLATIONS`: // the cluster's answer broke the contract; the header lists the same, when it is there
      if (typeof header !== 'string') violations.push(...list.map((item) => toViolation(item, 'response')));
      return { violations, note: "the cluster's answer was replaced by Prism's 500", checked: true };
    case `${PROBLEM}UNPROCESSABLE_ENTITY`: // the request broke it; its locations leave out "request"
      violations.push(...list.map((item) => toViolation(item, 'request')));
      return { violations, note: 'not sent to the cluster', checked: true };
    case `${PROBLEM}UNAUTHORIZED`:
      violations.push({
        where: 'request.header.authorization',
        what: `${title}: the operation needs HTTP Basic credentials or a bearer token`,
        severity: 'error',
      });
      return { violations, note: 'not sent to the cluster', checked: true };
    case `${PROBLEM}NO_METHOD_MATCHED_ERROR`:
      violations.push({ where: 'request.method', what: detail, severity: 'error' });
      return { violations, note: 'not sent to the cluster', checked: true };
    case `${PROBLEM}NO_PATH_MATCHED_ERROR`:
      return { violations, note: 'not part of this contract, not sent to the cluster', checked: true };
    default: // FetchError and the like: the cluster could not be reached
      return { violations, note: `not checked: ${title}`, checked: false };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
