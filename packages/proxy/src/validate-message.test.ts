import { describe, expect, it } from 'vitest';
import { validateMessage } from './validate-message.js';

const base = { userId: 'u1', timestamp: '2026-11-23T10:00:00.000Z' };

describe('validateMessage', () => {
  it('accepts each type with its required fields and fills defaults', () => {
    const cases = [
      { type: 'track', event: 'Signed Up' },
      { type: 'page', name: 'Home' },
      { type: 'screen' },
      { type: 'identify', traits: { plan: 'pro' } },
      { type: 'alias', previousId: 'anon-1' },
      { type: 'group', groupId: 'acme' },
    ];
    for (const fields of cases) {
      const result = validateMessage({ ...base, ...fields });
      expect(result.ok, fields.type).toBe(true);
    }
    const result = validateMessage({ ...base, type: 'track', event: 'x' });
    if (!result.ok) throw new Error('expected ok');
    expect(result.message.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.message).toMatchObject({ context: {}, integrations: {}, properties: {} });
  });

  it.each([
    ['invalid_message', [1, 2]],
    ['invalid_type', { ...base, type: 'purchase' }],
    ['invalid_type', { ...base }],
    ['missing_identity', { type: 'track', event: 'x' }],
    ['missing_identity', { type: 'track', event: 'x', userId: '', anonymousId: null }],
    ['missing_event', { ...base, type: 'track' }],
    ['missing_event', { ...base, type: 'track', event: '  ' }],
    ['missing_user_id', { type: 'alias', anonymousId: 'a', previousId: 'p' }],
    ['missing_previous_id', { ...base, type: 'alias' }],
    ['missing_group_id', { ...base, type: 'group' }],
    ['invalid_field', { ...base, type: 'track', event: 'x', properties: [1] }],
    ['invalid_field', { ...base, type: 'track', event: 'x', context: 'web' }],
    ['invalid_field', { ...base, type: 'track', event: 7 }],
    ['invalid_field', { type: 'track', event: 'x', userId: { id: 1 } }],
    ['invalid_field', { ...base, type: 'track', event: 'x', messageId: 5 }],
    ['invalid_timestamp', { ...base, type: 'track', event: 'x', timestamp: 'yesterday' }],
    ['invalid_timestamp', { ...base, type: 'track', event: 'x', sentAt: 12 }],
    ['message_too_large', { ...base, type: 'track', event: 'x', properties: { blob: 'x'.repeat(33 * 1024) } }],
  ])('rejects with %s', (code, raw) => {
    const result = validateMessage(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.code).toBe(code);
  });

  it('refuses hostile keys anywhere and names the path', () => {
    const raw = JSON.parse(`{"type":"track","event":"x","userId":"u","properties":{"a":[{"__proto__":{"admin":true}}]}}`);
    const result = validateMessage(raw);
    expect(result).toMatchObject({ ok: false, code: 'hostile_key' });
    if (!result.ok) expect(result.message).toContain('properties.a[0].__proto__');
    expect(validateMessage({ ...base, type: 'identify', traits: { constructor: 1 } })).toMatchObject({ ok: false, code: 'hostile_key' });
  });

  it('refuses deep nesting without recursing', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { d: deep };
    expect(validateMessage({ ...base, type: 'track', event: 'x', properties: deep })).toMatchObject({ ok: false, code: 'too_deep' });
  });

  it('requires the body type to agree with the route', () => {
    expect(validateMessage({ ...base, event: 'x' }, 'track')).toMatchObject({ ok: true });
    expect(validateMessage({ ...base, type: 'identify' }, 'track')).toMatchObject({ ok: false, code: 'invalid_type' });
  });

  it('merges batch defaults under the message and coerces numeric ids', () => {
    const result = validateMessage(
      { type: 'track', event: 'x', userId: 42, context: { locale: 'de' } },
      undefined,
      { context: { locale: 'en', library: { name: 'l', version: '1' } }, integrations: { All: true }, sentAt: '2026-11-23T10:00:00Z' },
    );
    expect(result).toMatchObject({
      ok: true,
      message: { userId: '42', context: { locale: 'de', library: { name: 'l' } }, integrations: { All: true }, sentAt: '2026-11-23T10:00:00Z' },
    });
  });
});
