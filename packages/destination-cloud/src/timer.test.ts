import { afterEach, expect, test, vi } from 'vitest';
import { createTimer } from './timer.js';

afterEach(() => vi.useRealTimers());

test('the earliest request wins; later ones do not push it back', () => {
  vi.useFakeTimers();
  const callback = vi.fn();
  const timer = createTimer(callback);
  timer(1000);
  timer(5000);
  timer(300);
  vi.advanceTimersByTime(299);
  expect(callback).not.toHaveBeenCalled();
  vi.advanceTimersByTime(1);
  expect(callback).toHaveBeenCalledTimes(1);
  vi.advanceTimersByTime(10_000);
  expect(callback).toHaveBeenCalledTimes(1);
});

test('after firing or cancel, a new request starts afresh', () => {
  vi.useFakeTimers();
  const callback = vi.fn();
  const timer = createTimer(callback);
  timer(100);
  timer.cancel();
  vi.advanceTimersByTime(200);
  expect(callback).not.toHaveBeenCalled();
  timer(50);
  vi.advanceTimersByTime(50);
  timer(50);
  vi.advanceTimersByTime(50);
  expect(callback).toHaveBeenCalledTimes(2);
});
