/** The p-th percentile of sorted numbers (nearest rank): with fewer than 100 runs, p99 is the slowest. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
