/**
 * A bounded load generator: `concurrency` loops, each sending GET requests one after another
 * over kept-alive loopback connections, until `maxRequests` have been sent or `maxMs` has passed,
 * whichever comes first. node:http rather than fetch: it is the lighter client, so more of the
 * two cores is left to the server being measured.
 */
import { Agent, request } from 'node:http';

export interface LoadOptions {
  concurrency: number;
  maxRequests: number;
  maxMs: number;
  headers: Record<string, string>;
}

export interface LoadResult {
  requests: number;
  /** Answers other than 200, and failed exchanges. */
  failures: number;
  ms: number;
  perSecond: number;
}

export async function runLoad(url: string, options: LoadOptions): Promise<LoadResult> {
  const target = new URL(url);
  if (target.hostname !== '127.0.0.1') throw new Error(`the load generator only targets 127.0.0.1, not ${target.hostname}`);
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  let sent = 0;
  let failures = 0;
  const started = performance.now();
  const deadline = started + options.maxMs;

  const one = () =>
    new Promise<void>((resolve) => {
      const outgoing = request(target, { agent, method: 'GET', headers: options.headers }, (response) => {
        if (response.statusCode !== 200) failures++;
        response.resume(); // read the body to its end, as a client would
        response.once('end', resolve);
        response.once('error', () => (failures++, resolve()));
      });
      outgoing.once('error', () => (failures++, resolve()));
      outgoing.end();
    });

  const loop = async () => {
    while (sent < options.maxRequests && performance.now() < deadline) {
      sent++;
      await one();
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, loop));
  } finally {
    agent.destroy();
  }
  const ms = performance.now() - started;
  return { requests: sent, failures, ms, perSecond: (sent / ms) * 1000 };
}
