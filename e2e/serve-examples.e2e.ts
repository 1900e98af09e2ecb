// The examples dev server: content types, the inlined built snippet, SPA fallback, and paths it must refuse.
import { readFileSync } from 'node:fs';
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
