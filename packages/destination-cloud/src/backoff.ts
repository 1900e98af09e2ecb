/** The first retry waits about this long; each later one twice as long, up to {@link MAX_BACKOFF_MS}. */
export const BASE_BACKOFF_MS = 1000;
export const MAX_BACKOFF_MS = 60_000;

/**
 * Milliseconds to wait before retry number `attempt` (1, 2, …): exponential with jitter
 * (between half and all of the step, so tabs and visitors spread out), or what the server's
 * `Retry-After` (seconds or an HTTP date) asks for, but never under half a second, so a
 * `Retry-After: 0` on every answer cannot turn into a tight loop.
 */
export function backoff(attempt: number, retryAfter?: string | null): number {
  if (retryAfter) {
    const ms = isNaN(+retryAfter) ? Date.parse(retryAfter) - Date.now() : +retryAfter * 1000;
    if (ms >= 0) return Math.max(ms, BASE_BACKOFF_MS / 2);
  }
  const step = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (attempt - 1));
  return step / 2 + (Math.random() * step) / 2;
}
