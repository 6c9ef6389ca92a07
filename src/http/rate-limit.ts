/** A token bucket per key: `perSecond` on average, `burst` at once. */
export interface RateLimiter {
  /** Takes one token for `key`; when none is left, how many milliseconds until one is. */
  take(
    key: string,
    rate: { readonly perSecond: number; readonly burst?: number },
  ): { ok: true } | { ok: false; retryAfterMs: number };
}

export function createRateLimiter(now: () => number = Date.now): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key, rate) {
      const burst = rate.burst ?? Math.max(1, Math.ceil(rate.perSecond));
      const t = now();
      const bucket = buckets.get(key) ?? { tokens: burst, at: t };
      bucket.tokens = Math.min(burst, bucket.tokens + ((t - bucket.at) / 1000) * rate.perSecond);
      bucket.at = t;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { ok: true };
      }
      return { ok: false, retryAfterMs: Math.ceil(((1 - bucket.tokens) / rate.perSecond) * 1000) };
    },
  };
}
