import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createMixpanelSender, type MixpanelAuth } from './sender.js';

interface Seen {
  url: string;
  headers: Headers;
  body: unknown;
}

function stubFetch(reply: (seen: Seen) => Response | Promise<Response>) {
  const seen: Seen[] = [];
  const fetchImpl = (async (url: string | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    const raw = Buffer.from(init?.body as Uint8Array);
    const text = headers.get('content-encoding') === 'gzip' ? gunzipSync(raw).toString() : raw.toString();
    const entry = { url: String(url), headers, body: JSON.parse(text) };
    seen.push(entry);
    return reply(entry);
  }) as typeof fetch;
  return { seen, fetchImpl };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

const sender = (fetchImpl: typeof fetch, auth: MixpanelAuth = { kind: 'secret', secret: 's3cret' }) =>
  createMixpanelSender({ auth, fetch: fetchImpl, baseUrls: { eu: 'http://mp.test/eu/' } });

describe('createMixpanelSender', () => {
  it('posts a gzipped JSON array to /import with strict=1 and basic auth', async () => {
    const { seen, fetchImpl } = stubFetch(() => json(200, { code: 200, num_records_imported: 2, status: 'OK' }));
    const outcome = await sender(fetchImpl).send('import', 'eu', ['{"event":"a"}', '{"event":"b"}']);
    expect(outcome).toEqual({ kind: 'ok' });
    expect(seen[0]!.url).toBe('http://mp.test/eu/import?strict=1');
    expect(seen[0]!.headers.get('authorization')).toBe(`Basic ${Buffer.from('s3cret:').toString('base64')}`);
    expect(seen[0]!.headers.get('content-encoding')).toBe('gzip');
    expect(seen[0]!.body).toEqual([{ event: 'a' }, { event: 'b' }]);
  });

  it('authenticates with a service account and project_id, or the token with an empty password', async () => {
    const { seen, fetchImpl } = stubFetch(() => json(200, { status: 'OK' }));
    await sender(fetchImpl, { kind: 'service-account', username: 'sa', secret: 'pw', projectId: 7 }).send('import', 'eu', ['{}']);
    expect(seen[0]!.url).toBe('http://mp.test/eu/import?strict=1&project_id=7');
    expect(seen[0]!.headers.get('authorization')).toBe(`Basic ${Buffer.from('sa:pw').toString('base64')}`);
    await sender(fetchImpl, { kind: 'token', token: 'tok' }).send('import', 'eu', ['{}']);
    expect(seen[1]!.headers.get('authorization')).toBe(`Basic ${Buffer.from('tok:').toString('base64')}`);
  });

  it('uses Mixpanel hosts by default and verbose=1 elsewhere', () => {
    const { fetchImpl } = stubFetch(() => json(200, {}));
    const s = createMixpanelSender({ auth: { kind: 'token', token: 't' }, fetch: fetchImpl });
    expect(s.url('import', 'us')).toBe('https://api.mixpanel.com/import?strict=1');
    expect(s.url('engage', 'in')).toBe('https://api-in.mixpanel.com/engage?verbose=1');
    expect(s.url('track', 'eu')).toBe('https://api-eu.mixpanel.com/track?verbose=1&ip=0');
  });

  it('reads strict-mode failed_records by index', async () => {
    const { fetchImpl } = stubFetch(() =>
      json(400, {
        code: 400,
        error: 'some data points in the request failed validation',
        failed_records: [{ index: 1, insert_id: 'x', field: 'properties.time', message: "'properties.time' is invalid" }],
        num_records_imported: 2,
        status: 'Bad Request',
      }),
    );
    const outcome = await sender(fetchImpl).send('import', 'eu', ['{}', '{}', '{}']);
    expect(outcome).toEqual({ kind: 'partial', failed: [{ index: 1, reason: "properties.time: 'properties.time' is invalid" }] });
  });

  it('classifies 429 and 5xx as retry with Retry-After, 400 as rejected, 413 as too large', async () => {
    const replies = [
      json(429, { error: 'rate limited' }, { 'retry-after': '3' }),
      json(503, { error: 'down' }),
      json(400, { error: 'bad' }),
      json(413, { error: 'too big' }),
      json(401, { error: 'who' }),
    ];
    const { fetchImpl } = stubFetch(() => replies.shift()!);
    const s = sender(fetchImpl);
    expect(await s.send('import', 'eu', ['{}'])).toEqual({ kind: 'retry', error: '429: rate limited', retryAfterMs: 3000 });
    expect(await s.send('import', 'eu', ['{}'])).toEqual({ kind: 'retry', error: '503: down' });
    expect(await s.send('import', 'eu', ['{}'])).toEqual({ kind: 'rejected', error: '400: bad' });
    expect(await s.send('import', 'eu', ['{}'])).toEqual({ kind: 'too_large', error: '413: too big' });
    expect(await s.send('import', 'eu', ['{}'])).toMatchObject({ kind: 'retry', retryAfterMs: 60_000 });
  });

  it('reads verbose status 0 from /engage as rejected and network errors as retry', async () => {
    const { fetchImpl } = stubFetch(() => json(200, { status: 0, error: '$set must be an object' }));
    const { seen, fetchImpl: engageFetch } = stubFetch(() => json(200, { status: 0, error: '$set must be an object' }));
    expect(await sender(engageFetch).send('engage', 'eu', ['{}'])).toEqual({ kind: 'rejected', error: '200: $set must be an object' });
    expect(seen[0]!.headers.get('content-encoding')).toBeNull();
    void fetchImpl;
    const failing = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    expect(await sender(failing).send('groups', 'eu', ['{}'])).toEqual({ kind: 'retry', error: 'network: fetch failed' });
  });
});
