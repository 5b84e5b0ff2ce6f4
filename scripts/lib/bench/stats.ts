/**
 * The arithmetic of the benchmarks: medians, and ratios taken round by round so that a slow
 * moment of a shared machine weighs on a figure and its baseline alike.
 */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The median, over rounds, of each round's figure divided by the same round's baseline. */
export function medianRatio(figures: readonly number[], baselines: readonly number[]): number {
  return median(figures.map((figure, round) => figure / baselines[round]!));
}

/** Wall time of `work` in milliseconds, from a monotonic clock. */
export async function timeMs(work: () => unknown): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** Rotates a list by `round` places, so that no variant always runs first (or last) in a round. */
export function rotate<T>(items: readonly T[], round: number): T[] {
  const shift = round % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
