import { describe, expect, test } from 'vitest';
import { RejectionError, warningText, type Warning } from './messages.js';
import { isForbiddenName, sanitizeProperties } from './sanitize.js';

function run(input: Record<string, unknown>) {
  const warnings: Warning[] = [];
  return { out: sanitizeProperties(input, warnings), warnings: warnings.map(warningText) };
}

describe('sanitizeProperties', () => {
  test.each([
    ['length renamed', { length: 3 }, { _length: 3 }, /`length` renamed to `_length`/],
    ['bucket renamed', { bucket: 'a' }, { _bucket: 'a' }, /`bucket` renamed to `_bucket`/],
    ['unknown $ name dropped', { $custom: 1, a: 1 }, { a: 1 }, /`\$custom` dropped/],
    ['unknown mp_ name dropped', { mp_thing: 1 }, {}, /`mp_thing` dropped/],
    ['known $ name kept', { $current_url: 'u', $email: 'e' }, { $current_url: 'u', $email: 'e' }, null],
    ['function dropped', { f: () => 1 }, {}, /`f` dropped: not a JSON value/],
    ['NaN dropped', { n: NaN }, {}, /`n` dropped/],
    ['undefined skipped silently', { u: undefined }, {}, null],
    ['date as ISO', { d: new Date(0) }, { d: '1970-01-01T00:00:00.000Z' }, null],
    ['bigint as string', { b: 10n }, { b: '10' }, null],
    ['array holes become null', { a: [1, undefined, 2] }, { a: [1, null, 2] }, null],
    ['prototype keys never copied', JSON.parse('{"__proto__":{"x":1},"ok":1}'), { ok: 1 }, null],
    ['lone surrogate replaced', { s: 'a\ud800b' }, { s: 'a\ufffdb' }, null],
    ['3 levels kept', { a: { b: { c: 1 } } }, { a: { b: { c: 1 } } }, null],
    ['arrays add no level', { a: [{ b: [1] }] }, { a: [{ b: [1] }] }, null],
    ['4th level stringified', { a: { b: { c: { d: 1 } } } }, { a: { b: { c: '{"d":1}' } } }, /`a` nested deeper than 3 levels/],
    ['list of objects allowed', { items: [{ sku: 1 }, { sku: 2 }] }, { items: [{ sku: 1 }, { sku: 2 }] }, null],
  ])('%s', (_, input, expected, warning) => {
    const { out, warnings } = run(input);
    expect(out).toEqual(expected);
    if (warning) expect(warnings.join('\n')).toMatch(warning);
    else expect(warnings).toEqual([]);
  });

  test('lists and nested objects keep 254 items', () => {
    const list = Array.from({ length: 300 }, (_, i) => i);
    const obj = Object.fromEntries(list.map((i) => [`k${String(i).padStart(3, '0')}`, i]));
    const { out, warnings } = run({ list, obj });
    expect((out.list as unknown[]).length).toBe(254);
    expect(Object.keys(out.obj as object)).toHaveLength(254);
    expect(Object.keys(out.obj as object)[253]).toBe('k253');
    expect(warnings).toHaveLength(2);
  });

  test('a circular structure is a circular_structure rejection', () => {
    const a: Record<string, unknown> = { x: 1 };
    a.self = { back: a };
    expect(() => run({ a })).toThrow(RejectionError);
    try {
      run({ a });
    } catch (error) {
      expect((error as RejectionError).code).toBe('circular_structure');
    }
  });

  test('a shared (non-circular) object is fine', () => {
    const shared = { v: 1 };
    expect(run({ a: shared, b: [shared, shared] }).out).toEqual({ a: { v: 1 }, b: [{ v: 1 }, { v: 1 }] });
  });

  test.each([
    ['$foo', true],
    ['mp_x', true],
    ['$browser', false],
    ['mp_lib', false],
    ['plain', false],
  ])('isForbiddenName(%s) = %s', (name, forbidden) => {
    expect(isForbiddenName(name)).toBe(forbidden);
  });
});
