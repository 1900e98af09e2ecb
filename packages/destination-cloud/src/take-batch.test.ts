import { expect, test } from 'vitest';
import { takeBatch } from './take-batch.js';

test('stops at the count or before the byte limit, whichever comes first', () => {
  expect(takeBatch([1, 1, 1, 1], 3, 100)).toBe(3);
  expect(takeBatch([40, 40, 40], 10, 100)).toBe(2);
  expect(takeBatch([40, 60, 1], 10, 100)).toBe(2);
  expect(takeBatch([40, 61], 10, 100)).toBe(1);
  expect(takeBatch([], 10, 100)).toBe(0);
});

test('an event larger than the limit still goes, alone', () => {
  expect(takeBatch([500, 1], 10, 100)).toBe(1);
});
