import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter } from './backoff.js';

describe('backoffDelay', () => {
  const options = { baseMs: 1000, maxMs: 60_000 };
  it('doubles per attempt with jitter between half and the full delay', () => {
    expect(backoffDelay(0, 0, options, () => 0)).toBe(500);
    expect(backoffDelay(0, 0, options, () => 1)).toBe(1000);
    expect(backoffDelay(3, 0, options, () => 1)).toBe(8000);
    expect(backoffDelay(3, 0, options, () => 0)).toBe(4000);
  });
  it('is capped', () => {
    expect(backoffDelay(50, 0, options, () => 1)).toBe(60_000);
  });
  it('never waits less than Retry-After', () => {
    expect(backoffDelay(0, 30_000, options, () => 0)).toBe(30_000);
    expect(backoffDelay(10, 1_000, options, () => 1)).toBe(60_000);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta seconds and HTTP dates', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter('0.5')).toBe(500);
    const now = Date.parse('2026-11-23T10:00:00Z');
    expect(parseRetryAfter('Mon, 23 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
  });
  it('ignores absent and invalid values', () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('')).toBeUndefined();
  });
});
