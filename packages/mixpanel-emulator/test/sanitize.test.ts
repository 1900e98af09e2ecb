import { describe, expect, it } from 'vitest';
import { MAX_RECORD_BYTES } from '../src/limits.js';
import { jsonBytes, jsonBytesOver } from '../src/sanitize.js';
import { validateEvent } from '../src/validate-event.js';
import { NOW, NOW_S } from './helpers.js';

/** A value nested `depth` arrays deep. */
const nested = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};

describe('jsonBytesOver', () => {
  it.each([
    ['a small record', { event: 'E', properties: { a: 'x', n: 1.5, b: true, z: null, list: [1, 'two', { three: 3 }] } }],
    ['ASCII just under the limit', { s: 'a'.repeat(MAX_RECORD_BYTES - 10) }],
    ['ASCII just over the limit', { s: 'a'.repeat(MAX_RECORD_BYTES) }],
    ['3-byte characters just under', { s: '€'.repeat(Math.floor((MAX_RECORD_BYTES - 10) / 3)) }],
    ['3-byte characters just over', { s: '€'.repeat(Math.ceil(MAX_RECORD_BYTES / 3)) }],
    ['escaped control characters over', { s: '\u0001'.repeat(Math.ceil(MAX_RECORD_BYTES / 6)) }],
    ['a Date (serialised by toJSON)', { d: new Date(0) }],
    ['nesting past the walk', nested(100)],
  ])('agrees with the exact JSON size for %s', (_name, value) => {
    expect(jsonBytesOver(value, MAX_RECORD_BYTES)).toBe(jsonBytes(value) > MAX_RECORD_BYTES);
  });

  it('still refuses an event over 1 MB', () => {
    const properties: Record<string, unknown> = { distinct_id: 'u1', time: NOW_S, $insert_id: 'abc-123' };
    for (let i = 0; i < 200; i++) properties[`p${i}`] = 'x'.repeat(6000);
    const r = validateEvent({ event: 'E', properties }, { endpoint: 'import', nowMs: NOW, identityMerge: 'simplified' });
    expect(r.kind).toBe('invalid');
    if (r.kind === 'invalid') expect(r.error.field).toBe('');
  });
});
