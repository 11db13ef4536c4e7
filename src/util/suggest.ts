/**
 * "Did you mean …": the closest candidates by edit distance (with adjacent swaps, the commonest
 * phone typo). Never used to guess silently, only to suggest.
 */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  if (m === 0) return n;
  if (n === 0) return m;
  let prev2: number[] = new Array(n + 1).fill(0);
  let prev: number[] = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur: number[] = [i];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, prev2[j - 2]! + 1);
      cur.push(v);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[n]!;
}

const SUGGEST_LONGEST = 60;

/**
 * The nearest candidates within a distance that grows with the word's length, at most `limit`. Only
 * the nearest: "12354" suggests 12345 (one swap), not 12346 as well.
 */
export function closest(word: string, candidates: Iterable<string>, limit = 3): string[] {
  // Edit distance is quadratic in the word: a pasted 100 KB "word" took the server 2.2 s. Nothing
  // that long is a typo of a command word or a case id.
  if (word.length > SUGGEST_LONGEST) return [];
  const w = word.toLowerCase();
  const max = w.length <= 3 ? 1 : w.length <= 6 ? 2 : 3;
  const scored: { c: string; d: number }[] = [];
  for (const c of new Set(candidates)) {
    const d = editDistance(w, c.toLowerCase());
    if (d <= max) scored.push({ c, d });
  }
  scored.sort((x, y) => x.d - y.d || x.c.localeCompare(y.c));
  const best = scored[0]?.d;
  return scored
    .filter((s) => s.d === best)
    .slice(0, limit)
    .map((s) => s.c);
}
