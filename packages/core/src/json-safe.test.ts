import { describe, expect, it } from 'vitest';
import { toJsonObject, toJsonSafe } from './json-safe.js';

describe('toJsonSafe', () => {
  it('keeps JSON values and copies them', () => {
    const input = { a: 1, b: 'x', c: true, d: null, e: [1, { f: 2 }] };
    const out = toJsonSafe(input);
    expect(out).toEqual(input);
    expect(out).not.toBe(input);
  });

  it('breaks cycles but keeps shared references', () => {
    const shared = { s: 1 };
    const a: Record<string, unknown> = { shared, again: shared };
    a.self = a;
    const list: unknown[] = [1];
    list.push(list);
    a.list = list;
    expect(toJsonSafe(a)).toEqual({ shared: { s: 1 }, again: { s: 1 }, list: [1, null] });
  });

  it('drops functions, symbols and undefined; converts dates, bigints and non-finite numbers', () => {
    const out = toJsonSafe({
      fn: () => 1,
      sym: Symbol('x'),
      undef: undefined,
      [Symbol('key')]: 1,
      when: new Date(Date.UTC(2026, 0, 2)),
      bad: new Date('nope'),
      big: BigInt(12),
      nan: Number.NaN,
      inf: Infinity,
      arr: [() => 1, undefined],
    });
    expect(out).toEqual({ when: '2026-01-02T00:00:00.000Z', bad: null, big: '12', nan: null, inf: null, arr: [null, null] });
  });

  it('never throws on hostile input', () => {
    const throwing = Object.defineProperty({ ok: 1 }, 'boom', {
      enumerable: true,
      get() {
        throw new Error('getter');
      },
    });
    expect(toJsonSafe(throwing)).toEqual({ ok: 1 });
    const proxy = new Proxy({}, { ownKeys: () => { throw new Error('keys'); } });
    expect(toJsonSafe(proxy)).toBeUndefined();
    expect(toJsonSafe({ toJSON: () => { throw new Error('x'); } })).toBeUndefined();
    const polluted = toJsonSafe(JSON.parse('{"__proto__": {"x": 1}, "y": 2}')) as Record<string, unknown>;
    expect(polluted).toEqual({ y: 2 });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('cuts very deep structures instead of overflowing', () => {
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 10_000; i++) deep = deep.n = {};
    expect(() => toJsonSafe(root)).not.toThrow();
  });

  it('toJsonObject always gives an object', () => {
    expect(toJsonObject(5)).toEqual({});
    expect(toJsonObject([1])).toEqual({});
    expect(toJsonObject(null)).toEqual({});
    expect(toJsonObject({ a: 1 })).toEqual({ a: 1 });
  });
});
