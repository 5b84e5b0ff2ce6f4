/**
 * How much the bench measures, and the arithmetic of its comparisons: many short rounds in which
 * a figure and its baseline take turns, and the median of the per-round ratios, so that a slow
 * moment of a shared machine weighs on both alike.
 */
import { measure } from 'mitata';

export interface Plan {
  nodeStartups: number;
  /** Rounds of every interleaved comparison (call latency, validation, load): many short ones, so
   * that a burst of other work on the machine lands on few of them. */
  rounds: number;
  /** mitata's options for one variant in one round (its times are in ns). */
  call: { min_cpu_time?: number; min_samples?: number; max_samples?: number; warmup_samples?: number };
  /** autocannon ends a load at its first sample tick after `seconds`, so a load lasts at least one
   * `sampleMs` (its default, 1000 ms, would make each 0.1 s smoke load a whole second). */
  load: { warmupSeconds: number; seconds: number; sampleMs: number };
  coldStarts: number;
  builds: number;
}

/** The full bench: medians of many rounds, every target checked. */
export const FULL: Plan = {
  nodeStartups: 10,
  rounds: 15,
  call: { min_cpu_time: 40e6 },
  load: { warmupSeconds: 2, seconds: 0.5, sampleMs: 1000 },
  coldStarts: 3,
  builds: 3,
};

/** The smoke run: every row once, as briefly as it can (the test suite runs it). */
export const SMOKE: Plan = {
  nodeStartups: 1,
  rounds: 1,
  call: { min_cpu_time: 0, min_samples: 2, max_samples: 4, warmup_samples: 1 },
  load: { warmupSeconds: 0, seconds: 0.1, sampleMs: 50 },
  coldStarts: 1,
  builds: 1,
};

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The median, over rounds, of each round's figure divided by the same round's baseline. */
export function medianRatio(figures: readonly number[], baselines: readonly number[]): number {
  return median(figures.map((figure, round) => figure / baselines[round]!));
}

/** The list turned by `round` places, so that no variant always runs first in a round. */
export function rotate<T>(items: readonly T[], round: number): T[] {
  return [...items.slice(round % items.length), ...items.slice(0, round % items.length)];
}

/** The median time of one call of each variant, in ns, per round; variants take turns within a round. */
export async function medianPerRound(plan: Plan, variants: Record<string, () => unknown>): Promise<Record<string, number[]>> {
  const perRound: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
  for (let round = 0; round < plan.rounds; round++) {
    for (const name of rotate(Object.keys(variants), round)) perRound[name]!.push((await measure(variants[name]!, plan.call)).p50);
  }
  return perRound;
}
