import { describe, expect, test } from 'vitest';
import { deleteUser, mapToCloud, mapToDevice } from './map.js';
import { REJECTIONS } from './messages.js';
import { cloud, eventOf, msg, NOW, settings } from '../test/fixtures.js';

const HOUR = 3600_000;
const at = (ms: number) => new Date(ms).toISOString();

function rejection(message: unknown, overrides: Record<string, unknown> = {}) {
  const result = mapToCloud(message, settings(overrides), NOW);
  const onDevice = mapToDevice(message, settings(overrides), NOW);
  // The 1 MB record limit is cloud-only (record-size.ts): mixpanel.js truncates every string to
  // 255 characters and handles a 413 itself, so the device bundle leaves that check out.
  const cloudOnly = !result.ok && result.rejection.code === 'too_large';
  // The device words a rejection by its code (its bundle carries no sentence); the code and detail are the same.
  const onDeviceExpected = result.ok || cloudOnly ? expect.objectContaining({ ok: true }) : { ok: false, rejection: { code: result.rejection.code, message: expect.stringMatching(new RegExp(`^${result.rejection.code}(: |$)`)) } };
  expect(onDevice).toEqual(onDeviceExpected);
  if (!result.ok && !onDevice.ok) expect(result.rejection.message.endsWith(onDevice.rejection.message.slice(result.rejection.code.length))).toBe(true);
  return result.ok ? undefined : result.rejection;
}

describe('invalid input becomes a specific rejection, never an exception', () => {
  const circular: Record<string, unknown> = { a: 1 };
  circular.self = circular;
  test.each([
    ['not an object', 'track', 'invalid_message'],
    ['null', null, 'invalid_message'],
    ['unknown type', msg('launch'), 'invalid_message'],
    ['missing messageId', msg('track', { messageId: undefined }), 'invalid_message_id'],
    ['empty messageId', msg('track', { messageId: ' ' }), 'invalid_message_id'],
    ['missing event name', msg('track', { event: undefined }), 'missing_event_name'],
    ['empty event name', msg('track', { event: '  ' }), 'missing_event_name'],
    ['non-string event name', msg('track', { event: 42 }), 'missing_event_name'],
    ['array properties', msg('track', { properties: [1, 2] }), 'invalid_properties'],
    ['string properties', msg('track', { properties: 'x' }), 'invalid_properties'],
    ['string traits', msg('identify', { traits: 'x' }), 'invalid_traits'],
    ['array context', msg('track', { context: [] }), 'invalid_context'],
    ['circular properties', msg('track', { properties: { c: circular } }), 'circular_structure'],
    ['circular traits', msg('identify', { traits: { c: circular } }), 'circular_structure'],
    ['numeric userId', msg('track', { userId: 42 }), 'invalid_user_id'],
    ['object anonymousId', msg('track', { anonymousId: {} }), 'invalid_anonymous_id'],
    ['no ids at all', msg('track', { userId: undefined, anonymousId: undefined }), 'missing_id'],
    ['empty ids', msg('track', { userId: '', anonymousId: '' }), 'missing_id'],
    ['placeholder userId', msg('track', { userId: 'undefined' }), 'placeholder_id'],
    ['placeholder anonymousId alone', msg('track', { userId: null, anonymousId: 'null' }), 'placeholder_id'],
    ['alias without previousId', msg('alias', { previousId: undefined }), 'missing_previous_id'],
    ['bad timestamp', msg('track', { timestamp: 'yesterday' }), 'invalid_timestamp'],
    ['missing timestamp', msg('track', { timestamp: undefined }), 'invalid_timestamp'],
    ['more than 1 hour ahead', msg('track', { timestamp: at(NOW + HOUR + 1000) }), 'time_in_future'],
    ['before 1971', msg('track', { timestamp: '1970-12-31T23:59:59Z' }), 'time_before_1971'],
    ['1970 epoch', msg('track', { timestamp: '1970-01-01T00:00:00Z' }), 'time_before_1971'],
    ['over 1 MB of JSON', msg('track', { properties: { big: 'x'.repeat(1024 * 1024) } }), 'too_large'],
    ['over 1 MB of multi-byte text', msg('track', { properties: { big: 'é'.repeat(600_000) } }), 'too_large'],
    ['over 1 MB profile update', msg('identify', { traits: { big: 'x'.repeat(1024 * 1024) } }), 'too_large'],
  ])('%s', (_, message, code) => {
    const r = rejection(message, { people: true });
    expect(r?.code).toBe(code);
    expect(r?.message.startsWith(REJECTIONS[code as keyof typeof REJECTIONS])).toBe(true);
  });

  test('unexpected errors become internal_error', () => {
    const hostile = msg('track');
    Object.defineProperty(hostile, 'properties', { get: () => { throw new Error('boom'); }, enumerable: true });
    expect(mapToCloud(hostile, settings(), NOW)).toEqual({ ok: false, rejection: { code: 'internal_error', message: 'The mapping failed unexpectedly: boom' } });
    expect(mapToDevice(hostile, settings(), NOW)).toMatchObject({ ok: false, rejection: { code: 'internal_error' } });
  });
});

describe('time window', () => {
  test.each([
    ['just under 1 hour ahead', NOW + HOUR - 1000, true],
    ['1971-01-01 exactly', Date.UTC(1971, 0, 1), true],
    ['ten years old (no age limit by default)', NOW - 10 * 365 * 24 * HOUR, true],
  ])('%s is accepted', (_, time, ok) => {
    expect(mapToCloud(msg('track', { timestamp: at(time) }), settings(), NOW).ok).toBe(ok);
  });

  test('maxEventAgeDays rejects older events only', () => {
    const s = { maxEventAgeDays: 30 };
    expect(rejection(msg('track', { timestamp: at(NOW - 31 * 24 * HOUR) }), s)?.code).toBe('time_too_old');
    expect(mapToCloud(msg('track', { timestamp: at(NOW - 29 * 24 * HOUR) }), settings(s), NOW).ok).toBe(true);
  });
});

describe('limits', () => {
  test('over 254 properties: generated ones kept, user ones kept in sorted order, the rest dropped with a warning', () => {
    const properties = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`p${String(i).padStart(3, '0')}`, i]));
    const context = { page: { url: 'https://a/' }, campaign: { source: 's' } };
    const result = cloud(msg('track', { properties, context }));
    const props = eventOf(result.operations).properties;
    expect(Object.keys(props)).toHaveLength(254);
    for (const key of ['token', 'distinct_id', 'time', '$insert_id', '$device_id', '$user_id', '$current_url', 'mp_lib', 'utm_source']) expect(props).toHaveProperty(key);
    // 9 generated, so 245 user properties: p000…p244.
    expect(props).toHaveProperty('p244');
    expect(props).not.toHaveProperty('p245');
    expect(result.warnings.join()).toMatch(/More than 254 properties: dropped 55 \(p245, p246/);
  });

  test('device: the 254 budget counts ids and generated properties; mixpanel.js adds its own defaults', () => {
    const properties = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`p${String(i).padStart(3, '0')}`, i]));
    const result = mapToDevice(msg('track', { properties, context: { campaign: { source: 's' } } }), settings(), NOW);
    if (!result.ok) throw new Error(result.rejection.message);
    const props = result.calls[0]!.args[1] as Record<string, unknown>;
    // 6 ids (token, distinct_id, time, $insert_id, $device_id, $user_id) and utm_source: 247 user properties.
    expect(props).toHaveProperty('p246');
    expect(props).not.toHaveProperty('p247');
    expect(result.warnings.join()).toMatch(/^tooMany p247,p248,/);
  });

  test('device: a record over 1 MB is left to mixpanel.js (it truncates strings to 255 characters)', () => {
    const result = mapToDevice(msg('track', { properties: { big: 'x'.repeat(1024 * 1024) } }), settings(), NOW);
    expect(result.ok).toBe(true);
  });

  test('a placeholder anonymousId with a userId is not sent, with a warning', () => {
    const result = cloud(msg('track', { anonymousId: 'undefined' }));
    expect(eventOf(result.operations).properties).not.toHaveProperty('$device_id');
    expect(result.warnings[0]).toMatch(/placeholder/);
  });

  test('long strings are sent as they are (Mixpanel truncates past 255)', () => {
    const long = 'y'.repeat(5000);
    expect(eventOf(cloud(msg('track', { properties: { long } })).operations).properties.long).toBe(long);
  });

  test('deep nesting is stringified with a warning', () => {
    const result = cloud(msg('track', { properties: { a: { b: { c: { d: { e: 1 } } } } } }));
    expect(eventOf(result.operations).properties.a).toEqual({ b: { c: '{"d":{"e":1}}' } });
    expect(result.warnings[0]).toMatch(/nested deeper than 3 levels/);
  });
});

describe('deleteUser', () => {
  test('an /engage $delete that ignores aliases', () => {
    expect(deleteUser('user-9', settings())).toEqual({
      endpoint: 'engage',
      body: { $token: 'tok', $distinct_id: 'user-9', $delete: null, $ignore_alias: true },
    });
  });
});
