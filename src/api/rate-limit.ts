import type { Clock } from "../commands/clock.ts";

/**
 * A token bucket per client: `limit` requests, refilled evenly over `windowMs`, so a steady sender
 * is never refused and a burst is cut at `limit`. Small and hand-written rather than
 * express-rate-limit because it reads the app's clock (tests move time instead of sleeping) and keys
 * on the authenticated client, not an address (a case-recording system sits behind one proxy).
 */
export function tokenBuckets(clock: Clock, limit: number, windowMs: number) {
  const buckets = new Map<number, { tokens: number; at: number }>();
  const perMs = limit / windowMs;
  return {
    /** takes one request's token; when none is left, the seconds until one is */
    take(clientId: number): { ok: true } | { ok: false; retryAfterS: number } {
      const now = clock.now().getTime();
      const b = buckets.get(clientId) ?? { tokens: limit, at: now };
      b.tokens = Math.min(limit, b.tokens + Math.max(0, now - b.at) * perMs);
      b.at = now;
      buckets.set(clientId, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return { ok: true };
      }
      return { ok: false, retryAfterS: Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000)) };
    },
  };
}
