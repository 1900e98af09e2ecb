import { afterEach, expect, test, vi } from 'vitest';
import { createKeyMaker, keyBytes, keyTime } from './entry-key.js';

afterEach(() => vi.useRealTimers());

test('a tab’s keys sort in call order as strings and carry size and time', () => {
  vi.useFakeTimers({ now: 1_795_000_000_000 });
  const make = createKeyMaker('taba');
  const keys = [make(10), make(20)];
  vi.setSystemTime(1_795_000_000_001);
  keys.push(make(7));
  expect([...keys].sort()).toEqual(keys);
  expect(keys.map(keyBytes)).toEqual([10, 20, 7]);
  expect(keyTime(keys[0]!)).toBe(1_795_000_000_000);
});

test('two tabs queueing in the same instant get distinct keys, ordered by time first', () => {
  vi.useFakeTimers({ now: 1_795_000_000_000 });
  const a = createKeyMaker('taba');
  const b = createKeyMaker('tabb');
  const [ka, kb] = [a(10), b(10)];
  expect(ka).not.toBe(kb);
  vi.setSystemTime(1_795_000_000_002);
  expect([b(1), ka, kb].sort().at(-1)).toMatch(/-1-tabb$/);
});

test('stamps never go back when the clock does', () => {
  vi.useFakeTimers({ now: 1_795_000_000_000 });
  const make = createKeyMaker('t');
  const first = make(1);
  vi.setSystemTime(1_794_000_000_000);
  expect(make(1) > first).toBe(true);
});
