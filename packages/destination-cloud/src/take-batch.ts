/**
 * How many of `keys`, from `from` on, make one batch: at most `maxCount` events and `maxBytes`
 * of event JSON, but always at least one (an oversized event still goes, alone, so the proxy
 * can reject it by name instead of it blocking the queue).
 */
export function takeBatch(sizes: number[], from: number, maxCount: number, maxBytes: number): number {
  let n = 0;
  let bytes = 0;
  while (from + n < sizes.length && n < maxCount && (n === 0 || bytes + sizes[from + n]! <= maxBytes)) {
    bytes += sizes[from + n++]!;
  }
  return n;
}
