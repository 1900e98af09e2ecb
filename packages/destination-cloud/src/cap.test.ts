import { expect, test } from 'vitest';
import { overCap } from './cap.js';

test('nothing goes while both limits hold', () => {
  expect(overCap([10, 10, 10], 3, 30)).toBe(0);
  expect(overCap([], 0, 0)).toBe(0);
});

test('the oldest go until the count fits', () => {
  expect(overCap([1, 1, 1, 1, 1], 3, 100)).toBe(2);
});

test('the oldest go until the bytes fit, however many that takes', () => {
  expect(overCap([50, 10, 10, 10], 10, 30)).toBe(1);
  expect(overCap([10, 10, 50], 10, 40)).toBe(3);
});
