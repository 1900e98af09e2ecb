import { describe, expect, it } from 'vitest';
import { isPlaceholderId } from '../src/placeholder-ids.js';
import { validateEvent, type EventContext } from '../src/validate-event.js';
import { NOW, NOW_S } from './helpers.js';

const imp: EventContext = { endpoint: 'import', nowMs: NOW, identityMerge: 'simplified' };
const trk: EventContext = { endpoint: 'track', nowMs: NOW, identityMerge: 'simplified' };
const ev = (props: Record<string, unknown>, event: unknown = 'E') => ({ event, properties: { distinct_id: 'u1', time: NOW_S, $insert_id: 'abc-123', ...props } });

describe('validateEvent', () => {
  it('accepts a good /import event and reads milliseconds as seconds', () => {
    const r = validateEvent(ev({ time: NOW - 1000 }), imp);
    expect(r).toMatchObject({ kind: 'event', event: 'E', distinctId: 'u1', time: NOW_S - 1, insertId: 'abc-123' });
  });

  it.each([
    [{ event: '', properties: {} }, 'event'],
    [{ event: 5, properties: {} }, 'event'],
    [{ event: 'E' }, 'properties'],
    [{ event: 'E', properties: [] }, 'properties'],
    [ev({ time: undefined }), 'properties.time'],
    [ev({ time: '1700000000' }), 'properties.time'],
    [ev({ time: Date.UTC(1970, 5, 1) / 1000 }), 'properties.time'],
    [ev({ time: NOW_S + 3601 }), 'properties.time'],
    [ev({ $insert_id: undefined }), 'properties.$insert_id'],
    [ev({ $insert_id: 'a'.repeat(37) }), 'properties.$insert_id'],
    [ev({ $insert_id: 'has space' }), 'properties.$insert_id'],
    [ev({ $insert_id: 'under_score' }), 'properties.$insert_id'],
    [ev({ $insert_id: 'null' }), 'properties.$insert_id'],
    [ev({ distinct_id: undefined }), 'properties.distinct_id'],
    [ev({ distinct_id: 42 }), 'properties.distinct_id'],
    [ev({ distinct_id: 'Undefined' }), 'properties.distinct_id'],
    [ev({ distinct_id: '00000000-0000-0000-0000-000000000000' }), 'properties.distinct_id'],
  ])('rejects %j on field %s', (record, field) => {
    const r = validateEvent(record, imp);
    expect(r.kind).toBe('invalid');
    if (r.kind === 'invalid') expect(r.error.field).toBe(field);
  });

  it('accepts the edges of the /import time range and an empty distinct_id', () => {
    expect(validateEvent(ev({ time: Date.UTC(1971, 0, 1) / 1000 }), imp).kind).toBe('event');
    expect(validateEvent(ev({ time: NOW_S + 3600 }), imp).kind).toBe('event');
    expect(validateEvent(ev({ distinct_id: '' }), imp).kind).toBe('event');
    expect(validateEvent(ev({ $insert_id: 'a'.repeat(36) }), imp).kind).toBe('event');
  });

  it('stamps /track events without time and flags ones older than 5 days', () => {
    const r = validateEvent({ event: 'E', properties: { token: 't', distinct_id: 'u' } }, trk);
    expect(r).toMatchObject({ kind: 'event', time: NOW_S, tooOld: false });
    expect(validateEvent(ev({ time: NOW_S - 5 * 86400 - 1 }), trk)).toMatchObject({ kind: 'event', tooOld: true });
    expect(validateEvent(ev({ time: NOW_S - 5 * 86400 + 60 }), trk)).toMatchObject({ kind: 'event', tooOld: false });
  });

  it('derives distinct_id from $user_id or $device_id on simplified ID merge only', () => {
    expect(validateEvent(ev({ distinct_id: undefined, $user_id: 'u9', $device_id: 'd9' }), imp)).toMatchObject({ distinctId: 'u9' });
    expect(validateEvent(ev({ distinct_id: undefined, $device_id: 'd9' }), imp)).toMatchObject({ distinctId: '$device:d9' });
    expect(validateEvent(ev({ distinct_id: undefined, $device_id: 'd9' }), { ...imp, identityMerge: 'original' }).kind).toBe('invalid');
    expect(validateEvent(ev({ distinct_id: undefined }), { ...trk, ipDistinctId: 'iphash' })).toMatchObject({ distinctId: 'iphash' });
  });

  it('truncates long names, keys and strings to 255 characters at every depth', () => {
    const long = 'x'.repeat(300);
    const r = validateEvent({ event: long, properties: { distinct_id: long, time: NOW_S, $insert_id: 'a1', [long]: long, nested: { list: [long] } } }, imp);
    if (r.kind !== 'event') throw new Error('expected an event');
    expect(r.event).toHaveLength(255);
    expect(r.distinctId).toHaveLength(255);
    expect(r.properties['x'.repeat(255)]).toHaveLength(255);
    expect(((r.properties['nested'] as Record<string, unknown>)['list'] as string[])[0]).toHaveLength(255);
  });

  it('allows 254 properties and refuses 255', () => {
    const props = (n: number) => Object.fromEntries(Array.from({ length: n - 3 }, (_, i) => [`p${i}`, i]));
    expect(validateEvent(ev(props(254)), imp).kind).toBe('event');
    expect(validateEvent(ev(props(255)), imp)).toMatchObject({ kind: 'invalid', error: { field: 'properties' } });
  });

  it('allows nesting 3 levels deep and refuses a fourth; arrays need fewer than 255 items', () => {
    // Three nested objects below the property (a → b → c) is the most allowed.
    expect(validateEvent(ev({ a: { b: { c: { d: 1 } } } }), imp).kind).toBe('event');
    expect(validateEvent(ev({ a: [{ b: [1] }] }), imp).kind).toBe('event');
    expect(validateEvent(ev({ a: { b: { c: { d: { e: 1 } } } } }), imp)).toMatchObject({ kind: 'invalid', error: { field: 'properties.a' } });
    expect(validateEvent(ev({ list: Array.from({ length: 255 }, (_, i) => i) }), imp)).toMatchObject({ kind: 'invalid', error: { field: 'properties.list' } });
  });

  it('refuses an event over 1 MB and strings that are not valid UTF-8', () => {
    expect(validateEvent(ev({ a: 'x'.repeat(200), b: Array.from({ length: 250 }, () => 'y'.repeat(4200)) }), imp).kind).toBe('invalid');
    expect(validateEvent(ev({ bad: 'a\ud800b' }), imp)).toMatchObject({ kind: 'invalid', error: { field: 'properties.bad' } });
  });

  it('keeps __proto__ as a plain key without touching any prototype', () => {
    const record = JSON.parse('{"event":"E","properties":{"distinct_id":"u","time":1763899000,"$insert_id":"p1","__proto__":{"polluted":true},"o":{"__proto__":{"x":1}}}}');
    const r = validateEvent(record, { ...imp, nowMs: 1763899000_000 });
    if (r.kind !== 'event') throw new Error('expected an event');
    expect(Object.getPrototypeOf(r.properties)).toBeNull();
    expect(Object.keys(r.properties)).toContain('__proto__');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(r.properties['o'], '__proto__')).toBe(true);
  });

  it('reads $merge as an identity operation', () => {
    expect(validateEvent({ event: '$merge', properties: { $distinct_ids: ['a', 'b'] } }, imp)).toMatchObject({ kind: 'merge', ids: ['a', 'b'] });
    expect(validateEvent({ event: '$merge', properties: { $distinct_ids: ['a', 'null'] } }, imp).kind).toBe('invalid');
  });
});

describe('isPlaceholderId', () => {
  it.each(['anon', 'anonymous', 'NULL', 'undefined', '0', '-1', 'true', 'false', '[]', '{}', 'nan', 'none', 'unknown', 'nil', '<nil>', 'n/a', 'na', 'lmy47d', '00000000-0000-0000-0000-000000000000'])(
    'refuses %s',
    (id) => expect(isPlaceholderId(id)).toBe(true),
  );
  it.each(['user-1', '$device:abc', '1', 'anon-1', ''])('allows %j', (id) => expect(isPlaceholderId(id)).toBe(false));
});
