import { describe, expect, it } from 'vitest';
import { deepMerge } from './merge.js';

describe('deepMerge', () => {
  it('merges plain objects deeply and replaces other values', () => {
    const base = { page: { url: 'a', title: 't' }, list: [1], keep: 1 };
    const out = deepMerge(base, { page: { url: 'b' }, list: [2], extra: { x: 1 } });
    expect(out).toEqual({ page: { url: 'b', title: 't' }, list: [2], keep: 1, extra: { x: 1 } });
    expect(base.page.url).toBe('a');
  });

  it('ignores prototype keys', () => {
    const out = deepMerge({}, JSON.parse('{"__proto__": {"polluted": 1}}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(out)).toEqual([]);
  });
});
