/** Token-bucket settings per client address. */
export interface RateLimitOptions {
  /** Tokens (requests) added per second. */
  perSecond: number;
  /** Bucket size: the burst a client may send at once. */
  burst: number;
  /** Addresses tracked at once; the least recently seen is forgotten first (memory stays bounded). */
  maxClients?: number;
}

/** Takes one token for a client: `0` when allowed, else the seconds to wait. */
export type RateLimiter = (client: string, now?: number) => number;

/** A per-client token bucket in a bounded map. */
export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const maxClients = options.maxClients ?? 100_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return (client, now = Date.now()) => {
    const bucket = buckets.get(client) ?? { tokens: options.burst, at: now };
    buckets.delete(client); // re-inserted below: Map order doubles as least-recently-seen order
    bucket.tokens = Math.min(options.burst, bucket.tokens + ((now - bucket.at) / 1000) * options.perSecond);
    bucket.at = now;
    let wait = 0;
    if (bucket.tokens >= 1) bucket.tokens -= 1;
    else wait = Math.max(1, Math.ceil((1 - bucket.tokens) / options.perSecond));
    buckets.set(client, bucket);
    if (buckets.size > maxClients) buckets.delete(buckets.keys().next().value!);
    return wait;
  };
}
