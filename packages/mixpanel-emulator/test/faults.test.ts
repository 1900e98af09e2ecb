import { describe, expect, it } from 'vitest';
import { createFaultInjector } from '../src/faults.js';
import { parseFaults } from '../src/inspect-api.js';
import { body, formPost, handlerWith, importEvent, importPost, trackEvent } from './helpers.js';

describe('fault injection', () => {
  it('is reproducible for a seed', () => {
    const pattern = () => {
      const f = createFaultInjector({ seed: 42, errorRate: 0.3, rateLimitRate: 0.2, dropRate: 0.1 });
      return Array.from({ length: 50 }, () => f.next().kind);
    };
    const first = pattern();
    expect(pattern()).toEqual(first);
    expect(new Set(first)).toEqual(new Set(['none', 'status', 'drop']));
  });

  it('answers 429 with Retry-After, shaped per endpoint, and stores nothing', async () => {
    const emu = handlerWith({ faults: { rateLimitRate: 1, retryAfterSeconds: 7 } });
    const imp = await emu.handle(importPost([importEvent()]));
    expect(imp.status).toBe(429);
    expect(imp.headers['retry-after']).toBe('7');
    expect(body(imp)).toEqual({ code: 429, error: 'Project exceeded rate limits. Please retry the request with exponential backoff.', status: 'Too Many Requests' });
    const trk = await emu.handle(formPost('/track?verbose=1', [trackEvent()]));
    expect(trk.status).toBe(429);
    expect(body(trk)).toMatchObject({ status: 0 });
    expect(emu.store.events.size).toBe(0);
  });

  it('cycles through the configured 5xx statuses', async () => {
    const emu = handlerWith({ faults: { errorRate: 1, errorStatuses: [502, 503] } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await emu.handle(formPost('/track', [trackEvent()]))).status);
    expect(statuses).toEqual([502, 503, 502]);
  });

  it('marks dropped requests and delays, never faults /_emulator, and can be changed at runtime', async () => {
    const emu = handlerWith({ faults: { dropRate: 1, delayMs: 5 } });
    expect(await emu.handle(formPost('/track', [trackEvent()]))).toMatchObject({ drop: true, delayMs: 5 });
    expect((await emu.handle({ method: 'GET', url: '/_emulator/stats', headers: {} })).status).toBe(200);
    const set = await emu.handle({ method: 'POST', url: '/_emulator/faults', headers: {}, body: Buffer.from('{"errorRate":0}') });
    expect(body(set)).toEqual({ errorRate: 0 });
    expect((await emu.handle(formPost('/track', [trackEvent()]))).body).toBe('1');
  });

  it('refuses malformed fault settings', async () => {
    expect(parseFaults({ errorRate: 2 })).toBeUndefined();
    expect(parseFaults({ errorStatuses: [404] })).toBeUndefined();
    expect(parseFaults([])).toBeUndefined();
    expect(parseFaults({ errorRate: 0.5, seed: 1 })).toEqual({ errorRate: 0.5, seed: 1 });
    const emu = handlerWith();
    expect((await emu.handle({ method: 'POST', url: '/_emulator/faults', headers: {}, body: Buffer.from('nope') })).status).toBe(400);
  });
});
