import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../src/index.js';
import { basic, importEvent, TOKEN, trackEvent } from './helpers.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const form = (records: unknown) => `data=${encodeURIComponent(Buffer.from(JSON.stringify(records)).toString('base64'))}`;

/** Streams `total` bytes to the emulator and resolves with the answer, which comes before the body ends. */
function postHuge(url: string, total: number): Promise<{ status: number; body: string; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/import`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basic(TOKEN), 'content-length': String(total) } });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
    });
    // After the answer the server closes; a write error then is expected.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const chunk = Buffer.alloc(1024 * 1024, 32);
    let sent = 0;
    const pump = () => {
      while (sent < total && !answered) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

describe('over a real socket', () => {
  it('takes a mixpanel.js-style /track post and shows it in the inspect API', async () => {
    emu = await createEmulator();
    expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${emu.url}/track/?verbose=1&ip=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://page.test' },
      body: form([trackEvent({ plan: 'pro' })]),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://page.test');
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(await res.json()).toEqual({ status: 1, error: null });
    const listed = (await (await fetch(`${emu.url}/_emulator/events?event=Signed%20Up&distinct_id=user-1&limit=5`)).json()) as { events: { properties: Record<string, unknown> }[] };
    expect(listed.events[0]?.properties['plan']).toBe('pro');
    expect(await (await fetch(`${emu.url}/_emulator/requests`)).json()).toEqual({ 'track us': 1 });
  });

  it('serves /import with basic auth and a region path prefix', async () => {
    emu = await createEmulator();
    const res = await fetch(`${emu.url}/eu/import?strict=1`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basic(TOKEN) }, body: JSON.stringify([importEvent({ time: Date.now() })]) });
    expect(await res.json()).toEqual({ code: 200, num_records_imported: 1, status: 'OK' });
    expect(emu.events()[0]?.region).toBe('eu');
  });

  it('answers 413 to a 50 MB body as soon as it passes 10 MB, without buffering it', async () => {
    emu = await createEmulator();
    const res = await postHuge(emu.url, 50 * 1024 * 1024);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ code: 413, status: 'Request Entity Too Large' });
    // The emulator is still healthy.
    expect((await fetch(`${emu.url}/_emulator/stats`)).status).toBe(200);
  });

  it('drops connections and delays answers when told to, and recovers when faults are cleared', async () => {
    emu = await createEmulator({ faults: { dropRate: 1 } });
    await expect(fetch(`${emu.url}/track`, { method: 'POST', body: form([trackEvent()]) })).rejects.toThrow();
    const set = await fetch(`${emu.url}/_emulator/faults`, { method: 'POST', body: JSON.stringify({ delayMs: 30 }) });
    expect(await set.json()).toEqual({ delayMs: 30 });
    const res = await fetch(`${emu.url}/track`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form([trackEvent()]) });
    expect(await res.text()).toBe('1');
    emu.setFaults({ rateLimitRate: 1, retryAfterSeconds: 3 });
    const limited = await fetch(`${emu.url}/import`, { method: 'POST', headers: { authorization: basic(TOKEN) }, body: JSON.stringify([importEvent({ time: Date.now() })]) });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
  });

  it('answers preflights, serves the inspector page, and resets', async () => {
    emu = await createEmulator();
    const pre = await fetch(`${emu.url}/engage/`, { method: 'OPTIONS', headers: { origin: 'http://page.test', 'access-control-request-method': 'POST' } });
    expect(pre.status).toBe(200);
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://page.test');
    const page = await fetch(`${emu.url}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<table id="events">');
    await fetch(`${emu.url}/track`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form([trackEvent()]) });
    expect(emu.stats().events.stored).toBe(1);
    expect((await fetch(`${emu.url}/_emulator/reset`, { method: 'POST' })).status).toBe(200);
    expect(emu.stats().events.stored).toBe(0);
    for (const path of ['profiles', 'groups', 'clusters', 'rejections', 'stats', 'faults']) {
      expect((await fetch(`${emu.url}/_emulator/${path}`)).status).toBe(200);
    }
    expect((await fetch(`${emu.url}/_emulator/nope`)).status).toBe(404);
  });

  it('answers garbage with Mixpanel errors and keeps serving', async () => {
    emu = await createEmulator();
    const bad = await fetch(`${emu.url}/import`, { method: 'POST', headers: { authorization: basic(TOKEN), 'content-type': 'application/json' }, body: '['.repeat(100_000) });
    expect(bad.status).toBe(400);
    const deep = `[{"event":"E","properties":{"token":"${TOKEN}","distinct_id":"u","nested":${'['.repeat(100_000)}${']'.repeat(100_000)}}}]`;
    expect(await (await fetch(`${emu.url}/track?verbose=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: deep })).json()).toMatchObject({ status: 0 });
    expect((await fetch(`${emu.url}/track`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form([trackEvent()]) })).status).toBe(200);
  });
});
