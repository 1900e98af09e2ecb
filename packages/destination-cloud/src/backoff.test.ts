import { afterEach, expect, test, vi } from 'vitest';
import { backoff, MAX_BACKOFF_MS } from './backoff.js';

afterEach(() => vi.restoreAllMocks());

test('doubles per attempt, jittered between half and all of the step, capped', () => {
  vi.spyOn(Math, 'random').mockReturnValue(0);
  expect([1, 2, 3, 4].map((n) => backoff(n))).toEqual([500, 1000, 2000, 4000]);
  vi.spyOn(Math, 'random').mockReturnValue(1);
  expect([1, 2, 3].map((n) => backoff(n))).toEqual([1000, 2000, 4000]);
  expect(backoff(30)).toBe(MAX_BACKOFF_MS);
});

test('Retry-After in seconds or as an HTTP date wins over the schedule', () => {
  expect(backoff(5, '3')).toBe(3000);
  expect(backoff(1, '0')).toBe(500);
  vi.useFakeTimers({ now: Date.parse('2026-01-01T00:00:00Z') });
  expect(backoff(1, 'Thu, 01 Jan 2026 00:00:30 GMT')).toBe(30_000);
  vi.useRealTimers();
});

test('an unreadable or past Retry-After falls back to the schedule', () => {
  vi.spyOn(Math, 'random').mockReturnValue(1);
  expect(backoff(1, 'soon')).toBe(1000);
  expect(backoff(2, 'Thu, 01 Jan 1970 00:00:00 GMT')).toBe(2000);
});
