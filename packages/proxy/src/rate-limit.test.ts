import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit.js';

describe('createRateLimiter', () => {
  it('allows a burst, then refills at the rate', () => {
    const take = createRateLimiter({ perSecond: 2, burst: 3 });
    const t = 1_000_000;
    expect([take('a', t), take('a', t), take('a', t)]).toEqual([0, 0, 0]);
    expect(take('a', t)).toBe(1);
    expect(take('b', t)).toBe(0); // per client
    expect(take('a', t + 500)).toBe(0); // one token back after 0.5 s at 2/s
    expect(take('a', t + 500)).toBeGreaterThan(0);
  });
  it('forgets the least recently seen client past maxClients', () => {
    const take = createRateLimiter({ perSecond: 1, burst: 1, maxClients: 2 });
    const t = 0;
    take('a', t);
    take('b', t);
    take('c', t); // evicts a
    expect(take('a', t)).toBe(0); // a starts over with a full bucket
    expect(take('c', t)).toBe(1);
  });
});
