// The examples dev server: content types, the inlined built snippet, SPA fallback, paths it must
// refuse, and the forward of /v1 and /mp to a Tally proxy.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from './fixtures.js';

const builtSnippet = () =>
  readFileSync(new URL('../packages/browser/dist/snippet.min.js', import.meta.url), 'utf8').replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '');

test('serves each kind of file with its content type', async ({ request }) => {
  const expected: Array<[string, string]> = [
    ['/', 'text/html'],
    ['/script-tag/', 'text/html'],
    ['/shared/style.css', 'text/css'],
    ['/shared/page-log.js', 'text/javascript'],
    ['/tally.min.js', 'text/javascript'],
    ['/tally.min.js.map', 'application/json'],
    ['/snippet.min.js', 'text/javascript'],
    ['/lib/browser/index.js', 'text/javascript'],
    ['/lib/core/index.js', 'text/javascript'],
    ['/lib/mitt/mitt.mjs', 'text/javascript'],
    ['/tally-cloud.min.js', 'text/javascript'],
    ['/tally-device.min.js', 'text/javascript'],
    ['/tally-device-fallback.min.js', 'text/javascript'],
    ['/lib/mixpanel.min.js', 'text/javascript'],
    ['/lib/destination-cloud/index.js', 'text/javascript'],
    ['/lib/idb-keyval/index.js', 'text/javascript'],
    ['/device/', 'text/html'],
  ];
  for (const [path, type] of expected) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    expect(response.headers()['content-type'], path).toContain(type);
  }
});

test('inlines the built snippet where a page asks for it', async ({ request }) => {
  const html = await (await request.get('/script-tag/product.html')).text();
  expect(html).not.toContain('/* @tally-snippet */');
  expect(html).toContain(builtSnippet());
});

test('answers History API paths under /spa/ with the app page', async ({ request }) => {
  const response = await request.get('/spa/pricing');
  expect(response.status()).toBe(200);
  expect(await response.text()).toContain('<script type="module" src="/spa/app.js">');
});

test('redirects a folder without its slash, and 404s what is not there', async ({ request }) => {
  const redirect = await request.get('/script-tag', { maxRedirects: 0 });
  expect(redirect.status()).toBe(301);
  expect(redirect.headers().location).toBe('/script-tag/');
  expect((await request.get('/nope.html')).status()).toBe(404);
});

test('serves only built files under /lib/ and nothing outside its folders', async ({ request }) => {
  for (const path of ['/lib/browser/package.json', '/lib/..%2Fpackage.json', '/lib/browser/..%2F..%2F..%2Fpackage.json', '/%2E%2E/package.json', '/..%2F..%2Fpackage.json']) {
    expect((await request.get(path)).status(), path).toBe(404);
  }
});

test('without a proxy, /v1 and /mp answer 503 with Retry-After, and /mixpanel 404', async ({ request }) => {
  for (const path of ['/v1/batch', '/mp/track/']) {
    const response = await request.post(path, { data: {} });
    expect(response.status(), path).toBe(503);
    expect(response.headers()['retry-after'], path).toBe('5');
  }
  expect((await request.get('/mixpanel', { maxRedirects: 0 })).status()).toBe(404);
});

test('forwards /v1 and /mp to the proxy: method, path, query, headers, body and status; 502 when it is down', async ({ playwright }) => {
  // A stand-in proxy that answers with what it received.
  const seen: Array<{ method?: string; url?: string; headers: IncomingHttpHeaders; body: string }> = [];
  const upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(207, { 'content-type': 'application/json', 'x-upstream': 'yes', 'retry-after': '7' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  let target: string | undefined = upstreamUrl;
  const serve = (await import(new URL('../scripts/serve-examples.mjs', import.meta.url).href)) as {
    startExamplesServer(options: object): Promise<{ url: string; close(): Promise<void> }>;
  };
  const examples = await serve.startExamplesServer({ port: 0, apiProxy: () => target, mixpanelUrl: 'http://127.0.0.1:1/' });
  const request = await playwright.request.newContext({ baseURL: examples.url });
  try {
    const body = JSON.stringify({ batch: [{ type: 'track', event: 'x'.repeat(100_000) }] });
    const answer = await request.post('/v1/batch?a=1', { headers: { origin: examples.url, 'content-type': 'text/plain', authorization: 'Basic d2s6' }, data: body });
    expect(answer.status()).toBe(207);
    expect(answer.headers()).toMatchObject({ 'x-upstream': 'yes', 'retry-after': '7', 'content-type': 'application/json' });
    expect(await answer.json()).toEqual({ ok: true });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/v1/batch?a=1', body });
    expect(seen[0]!.headers).toMatchObject({ origin: examples.url, 'content-type': 'text/plain', authorization: 'Basic d2s6', host: upstreamUrl.slice('http://'.length) });

    expect((await request.get('/mp/decide/?verbose=1')).status()).toBe(207);
    expect(seen[1]).toMatchObject({ method: 'GET', url: '/mp/decide/?verbose=1' });

    const live = await request.get('/mixpanel', { maxRedirects: 0 });
    expect(live.status()).toBe(302);
    expect(live.headers().location).toBe('http://127.0.0.1:1/');

    await new Promise<void>((resolve) => {
      upstream.close(() => resolve());
      upstream.closeAllConnections();
    });
    const down = await request.post('/v1/batch', { data: '{}' });
    expect(down.status()).toBe(502);
    expect(await down.text()).toContain('unreachable');
    target = undefined;
    expect((await request.post('/v1/batch', { data: '{}' })).status()).toBe(503);
  } finally {
    await request.dispose();
    await examples.close();
    upstream.close();
  }
});
