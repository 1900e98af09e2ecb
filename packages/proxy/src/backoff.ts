/** Retry timing shared by the worker and the sender: exponential backoff with jitter. */
export interface BackoffOptions {
  /** First delay (ms). */
  baseMs: number;
  /** Largest delay (ms) before `Retry-After` is applied. */
  maxMs: number;
}

/** Defaults: 1 s doubling to 10 min, like mixpanel.js's own retry cap. */
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, maxMs: 600_000 };

/**
 * The delay before attempt `attempt + 1` (attempt counts from 0): "equal jitter" (half fixed,
 * half random) so retries from many workers spread out, and never shorter than the server's
 * `Retry-After`.
 */
export function backoffDelay(attempt: number, retryAfterMs = 0, options = DEFAULT_BACKOFF, random = Math.random): number {
  const exp = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30));
  const jittered = exp / 2 + random() * (exp / 2);
  return Math.max(Math.round(jittered), retryAfterMs);
}

/** Parses `Retry-After` (delta seconds or an HTTP date) into ms from `now`; undefined if absent or invalid. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
