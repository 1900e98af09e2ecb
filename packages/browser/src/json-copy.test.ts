import { describe, expect, it } from 'vitest';
import { copyObject, mergeObjects, parseObject } from './json-copy.js';

describe('copyObject', () => {
  it('copies what JSON keeps, as JSON sends it', () => {
    const input = { s: 'x', n: 1, nan: NaN, big: BigInt(7), when: new Date(Date.UTC(2026, 0, 1)), fn: () => 1, u: undefined, list: [1, undefined, 'a'] };
    expect(copyObject(input)).toEqual({ s: 'x', n: 1, nan: null, big: '7', when: '2026-01-01T00:00:00.000Z', list: [1, null, 'a'] });
  });

  it('drops only the keys that close a cycle, and keeps shared (acyclic) references', () => {
    const shared = { k: 1 };
    const input: Record<string, unknown> = { a: shared, b: shared, nested: { list: [] as unknown[] } };
    input.self = input;
    (input.nested as { list: unknown[] }).list.push(input, 2);
    expect(copyObject(input)).toEqual({ a: { k: 1 }, b: { k: 1 }, nested: { list: [null, 2] } });
  });

  it('leaves out keys that could reach a prototype', () => {
    const input = JSON.parse('{"__proto__": {"polluted": 1}, "constructor": 1, "ok": 1}') as object;
    const out = copyObject(input);
    expect(Object.keys(out)).toEqual(['ok']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('gives {} for anything that is not a readable object, and does not throw', () => {
    const throwing = Object.defineProperty({}, 'x', { enumerable: true, get: () => { throw new Error('no'); } });
    for (const v of [undefined, null, 1, 'x', [1], Symbol('s'), () => 1, throwing, new Proxy({}, { ownKeys: () => { throw new Error('x'); } })]) {
      expect(copyObject(v)).toEqual({});
    }
  });

  it('is a copy: later changes to the input do not reach it', () => {
    const input = { a: { b: 1 } };
    const out = copyObject(input);
    input.a.b = 2;
    expect(out).toEqual({ a: { b: 1 } });
  });
});

describe('parseObject', () => {
  it('reads a stored JSON object; undefined when missing, corrupt or not an object', () => {
    expect(parseObject('{"a":1}')).toEqual({ a: 1 });
    for (const raw of [null, '', '{', '[1]', '3', 'null']) expect(parseObject(raw)).toBeUndefined();
  });
});

describe('mergeObjects', () => {
  it('merges objects key by key; anything else replaces', () => {
    const base = { page: { url: 'u', title: 't' }, list: [1], n: 1 };
    expect(mergeObjects(base, { page: { title: 'x' }, list: [2], n: { v: 1 } })).toEqual({ page: { url: 'u', title: 'x' }, list: [2], n: { v: 1 } });
    expect(base.page.title).toBe('t');
  });
});
