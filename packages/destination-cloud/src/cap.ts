/**
 * How many of the oldest events (sizes in queue order) must go so that at most `maxEvents`
 * events and `maxBytes` bytes remain: the queue's eviction rule is "drop the oldest".
 */
export function overCap(sizes: number[], maxEvents: number, maxBytes: number): number {
  let total = sizes.reduce((a, b) => a + b, 0);
  let n = 0;
  while (sizes.length - n > maxEvents || total > maxBytes) total -= sizes[n++]!;
  return n;
}
