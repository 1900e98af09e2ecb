/**
 * How many of the first `sizes` make one batch: at most `maxCount` events and `maxBytes` of
 * event JSON, but always at least one (an oversized event still goes, alone, so the proxy can
 * reject it by name instead of it blocking the queue).
 */
export function takeBatch(sizes: number[], maxCount: number, maxBytes: number): number {
  let n = 0;
  while (n < sizes.length && n < maxCount && ((maxBytes -= sizes[n]!) >= 0 || !n)) n++;
  return n;
}
