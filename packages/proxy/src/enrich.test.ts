import { describe, expect, it } from 'vitest';
import type { Message } from '@tally/core';
import { enrichMessage } from './enrich.js';

const message = (fields: Partial<Message> & Record<string, unknown>) =>
  ({ type: 'track', event: 'x', messageId: 'm', userId: 'u', context: {}, integrations: {}, properties: {}, ...fields }) as unknown as Message;

describe('enrichMessage', () => {
  const receivedAt = Date.parse('2026-11-23T12:00:10.000Z');

  it('corrects the client clock: receivedAt − (sentAt − timestamp)', () => {
    // The client's clock is an hour behind: it stamped the event 5 s before sending.
    const out = enrichMessage(message({ timestamp: '2026-11-23T11:00:00.000Z', sentAt: '2026-11-23T11:00:05.000Z' }), { receivedAt, ip: undefined });
    expect(out.timestamp).toBe('2026-11-23T12:00:05.000Z');
    expect(out.receivedAt).toBe('2026-11-23T12:00:10.000Z');
    expect((out as unknown as { originalTimestamp: string }).originalTimestamp).toBe('2026-11-23T11:00:00.000Z');
  });

  it('keeps the timestamp without sentAt, and uses receivedAt without a timestamp', () => {
    expect(enrichMessage(message({ timestamp: '2026-11-23T11:00:00.000Z' }), { receivedAt, ip: undefined }).timestamp).toBe('2026-11-23T11:00:00.000Z');
    expect(enrichMessage(message({}), { receivedAt, ip: undefined }).timestamp).toBe('2026-11-23T12:00:10.000Z');
  });

  it('sets context.ip from the request unless the message has one or opted out', () => {
    expect(enrichMessage(message({ timestamp: '' }), { receivedAt, ip: '203.0.113.9' }).context.ip).toBe('203.0.113.9');
    expect(enrichMessage(message({ context: { ip: '198.51.100.1' } }), { receivedAt, ip: '203.0.113.9' }).context.ip).toBe('198.51.100.1');
    expect(enrichMessage(message({ context: { ip: 0 } }), { receivedAt, ip: '203.0.113.9' }).context.ip).toBe(0);
    expect(enrichMessage(message({ context: { ip: '0' } }), { receivedAt, ip: '203.0.113.9' }).context.ip).toBe('0');
  });

  it('fills context.browser and context.os from the user agent, named as mixpanel.js names them', () => {
    const ua = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
    const out = enrichMessage(message({ context: { userAgent: ua } }), { receivedAt, ip: undefined });
    expect(out.context.browser).toEqual({ name: 'Chrome', version: '131.0.0.0' });
    expect(out.context.os).toMatchObject({ name: 'Mac OS X' });
    const iphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
    expect(enrichMessage(message({ context: { userAgent: iphone } }), { receivedAt, ip: undefined }).context).toMatchObject({
      browser: { name: 'Mobile Safari' },
      os: { name: 'iOS' },
    });
    const kept = enrichMessage(message({ context: { userAgent: ua, os: { name: 'Custom' } } }), { receivedAt, ip: undefined });
    expect(kept.context.os).toEqual({ name: 'Custom' });
  });
});
