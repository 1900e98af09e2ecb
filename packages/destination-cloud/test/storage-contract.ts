import { describe, expect, test } from 'vitest';
import type { QueueStorage } from '@tally/destination-cloud';

/** The behaviour every queue storage promises; run once per implementation. */
export function testStorage(label: string, make: () => QueueStorage | Promise<QueueStorage>): void {
  describe(`QueueStorage contract: ${label}`, () => {
    test('starts empty', async () => {
      const store = await make();
      expect(await store.keys()).toEqual([]);
    });

    test('keys come back sorted, whatever the write order', async () => {
      const store = await make();
      await store.setMany([['3', 'c'], ['1', 'a']]);
      await store.setMany([['2', 'b']]);
      expect(await store.keys()).toEqual(['1', '2', '3']);
    });

    test('getMany answers in key order, undefined where missing', async () => {
      const store = await make();
      await store.setMany([['a', '{"x":1}'], ['b', '{"x":2}']]);
      expect(await store.getMany(['b', 'zz', 'a'])).toEqual(['{"x":2}', undefined, '{"x":1}']);
    });

    test('setMany overwrites an existing key', async () => {
      const store = await make();
      await store.setMany([['a', 'old']]);
      await store.setMany([['a', 'new']]);
      expect(await store.getMany(['a'])).toEqual(['new']);
      expect(await store.keys()).toEqual(['a']);
    });

    test('delMany removes only the given keys and ignores unknown ones', async () => {
      const store = await make();
      await store.setMany([['a', '1'], ['b', '2'], ['c', '3']]);
      await store.delMany(['a', 'c', 'nope']);
      expect(await store.keys()).toEqual(['b']);
    });

    test('clear empties the queue', async () => {
      const store = await make();
      await store.setMany([['a', '1'], ['b', '2']]);
      await store.clear();
      expect(await store.keys()).toEqual([]);
    });

    test('keeps unicode values intact', async () => {
      const store = await make();
      const value = JSON.stringify({ event: 'café ☕ 𝄞' });
      await store.setMany([['k', value]]);
      expect(await store.getMany(['k'])).toEqual([value]);
    });
  });
}
