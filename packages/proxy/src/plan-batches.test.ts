import { describe, expect, it } from 'vitest';
import { LIMITS, planBatches } from './plan-batches.js';

describe('planBatches', () => {
  it('keeps /import requests at 2,000 events', () => {
    const ranges = planBatches(Array(4_500).fill(100), LIMITS.import);
    expect(ranges).toEqual([[0, 2000], [2000, 4000], [4000, 4500]]);
  });
  it('keeps /import requests under 10 MB uncompressed', () => {
    const size = 1024 * 1024; // 1 MB events: 9 fit with brackets and commas, the 10th would pass 10 MB
    const ranges = planBatches(Array(20).fill(size), LIMITS.import);
    expect(ranges[0]).toEqual([0, 9]);
    for (const [start, end] of ranges) expect((end - start) * (size + 1) + 2).toBeLessThanOrEqual(10 * 1024 * 1024);
    expect(ranges.at(-1)![1]).toBe(20);
  });
  it('gives an oversized record a range of its own', () => {
    expect(planBatches([10, 20 * 1024 * 1024, 10], LIMITS.engage)).toEqual([[0, 1], [1, 2], [2, 3]]);
  });
  it('plans nothing for nothing', () => {
    expect(planBatches([], LIMITS.groups)).toEqual([]);
  });
});
