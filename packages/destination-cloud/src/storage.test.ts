// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { afterEach, expect, test } from 'vitest';
import { createIdbStorage, createLocalStorage, createMemoryStorage } from '@tally/destination-cloud';
import { testStorage } from '../test/storage-contract.js';

let n = 0;
afterEach(() => localStorage.clear());

testStorage('IndexedDB (fake-indexeddb)', () => createIdbStorage(`contract-${++n}`));
testStorage('localStorage', () => createLocalStorage(`contract-${++n}.`));
testStorage('memory', () => createMemoryStorage());

test('localStorage storage leaves other keys alone', async () => {
  localStorage.setItem('unrelated', 'x');
  const store = createLocalStorage('q.');
  await store.setMany([['1', 'a']]);
  await store.clear();
  expect(localStorage.getItem('unrelated')).toBe('x');
});

test('two IndexedDB handles on one name share the queue (as two tabs do)', async () => {
  const a = createIdbStorage('shared-tabs');
  const b = createIdbStorage('shared-tabs');
  await a.setMany([['1', 'from a']]);
  await b.setMany([['2', 'from b']]);
  expect(await a.keys()).toEqual(['1', '2']);
});
