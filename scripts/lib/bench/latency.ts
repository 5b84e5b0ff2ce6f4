/**
 * Sequential latency of several ways to make the same call, measured call by call and
 * interleaved: each round calls every variant in turn (in a rotating order), so that all of
 * them meet the same moments of a shared machine. A round's figure for a variant is the median
 * of its calls; GC pauses and scheduler hiccups land in the tails, not in the medians.
 */
import { median, rotate } from './stats.ts';

export interface Variant {
  name: string;
  call: () => Promise<unknown>;
}

export interface LatencyPlan {
  warmupCalls: number;
  rounds: number;
  callsPerRound: number;
}

/** For each variant, the median latency of each round, in microseconds. */
export async function interleavedLatency(variants: readonly Variant[], plan: LatencyPlan): Promise<Map<string, number[]>> {
  // Warm-up: the JIT, the connection pool and the server's sockets, none of it recorded.
  for (let call = 0; call < plan.warmupCalls; call++) {
    for (const variant of variants) await variant.call();
  }
  const perRound = new Map<string, number[]>(variants.map((variant) => [variant.name, []]));
  for (let round = 0; round < plan.rounds; round++) {
    const samples = new Map<string, number[]>(variants.map((variant) => [variant.name, []]));
    for (let call = 0; call < plan.callsPerRound; call++) {
      for (const variant of rotate(variants, call + round)) {
        const started = performance.now();
        await variant.call();
        samples.get(variant.name)!.push((performance.now() - started) * 1000);
      }
    }
    for (const [name, values] of samples) perRound.get(name)!.push(median(values));
  }
  return perRound;
}

/**
 * Time per call of synchronous work in a tight loop, in nanoseconds. Each result feeds a sink
 * that is returned, so the work cannot be optimised away.
 */
export function tightLoopNs(work: () => unknown, calls: number): { ns: number; sink: number } {
  let sink = 0;
  const started = process.hrtime.bigint();
  for (let call = 0; call < calls; call++) {
    const result = work();
    sink += Array.isArray(result) ? result.length : typeof result === 'string' ? result.length : 1;
  }
  return { ns: Number(process.hrtime.bigint() - started) / calls, sink };
}
