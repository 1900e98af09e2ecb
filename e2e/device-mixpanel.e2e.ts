// Device mode end to end: the built dist/tally-device.min.js and the real mixpanel.js (self-hosted at
// /lib/mixpanel.min.js) in Chromium, mixpanel.js posting to the Mixpanel emulator. Then the same
// session with mixpanel.js blocked: the cloud fallback → the real proxy → the same emulator.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { createEmulator, DEFAULT_PROJECT, type Emulator } from '../packages/mixpanel-emulator/src/index.js';
import { startProxyServer, type ProxyServer } from '../packages/proxy/src/index.js';

const file = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const BUNDLE = file('packages/destination-mixpanel/dist/tally-device.min.js');
const FALLBACK_BUNDLE = file('packages/destination-mixpanel/dist/tally-device-fallback.min.js');
// The same mapping settings on both paths, so both modes must record the same data.
const MAPPING = { token: DEFAULT_PROJECT.token, people: true, groupKeys: ['company'] };

let emulator: Emulator;
let proxy: ProxyServer;
let site: Server;
let siteUrl: string;
let dataDir: string;

test.beforeAll(async () => {
  if (!existsSync(BUNDLE) || !existsSync(FALLBACK_BUNDLE)) throw new Error('[tally] e2e runs the built bundle: run `TALLY_ONLY=destination-mixpanel npx rollup -c rollup.config.mjs`');
  const assets: Record<string, [string, Buffer]> = {
    '/': ['text/html', readFileSync(file('e2e/fixtures/device/index.html'))],
    '/tally-device.min.js': ['text/javascript', readFileSync(BUNDLE)],
    // Fetched by the bundle only when mixpanel.js does not come (the cloud fallback's code).
    '/tally-device-fallback.min.js': ['text/javascript', readFileSync(FALLBACK_BUNDLE)],
    '/lib/mixpanel.min.js': ['text/javascript', readFileSync(file('node_modules/mixpanel-browser/dist/mixpanel.min.js'))],
  };
  site = createServer((req, res) => {
    const asset = assets[new URL(req.url ?? '/', 'http://x').pathname];
    if (asset) res.writeHead(200, { 'content-type': asset[0] }).end(asset[1]);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  emulator = await createEmulator();
  dataDir = mkdtempSync(join(tmpdir(), 'tally-device-e2e-'));
  proxy = await startProxyServer({
    writeKeys: ['wk'],
    mixpanel: { ...MAPPING, apiSecret: DEFAULT_PROJECT.secret },
    mixpanelApiUrl: emulator.url,
    allowedOrigins: ['*'],
    dataDir,
    port: 0,
    host: '127.0.0.1',
    rateLimit: false,
    logLevel: 'silent',
    mixpanelJs: false,
    delivery: { pollMs: 50, batchWaitMs: 0 },
  });
});

test.afterAll(async () => {
  await proxy?.close();
  await emulator?.close();
  await new Promise<void>((resolve) => {
    if (!site) return resolve();
    site.close(() => resolve());
    site.closeAllConnections();
  });
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test.beforeEach(() => emulator.reset());

type Tally = {
  page(name?: string): void;
  track(event: string, properties?: object): void;
  identify(userId: string, traits?: object): void;
  alias(userId: string): void;
  group(groupId: string, traits?: object): void;
  reset(): void;
  ready(): Promise<void>;
  flush(): Promise<void>;
  user(): { anonymousId(): string };
};
const OURS = ['Loaded a Page', 'Viewed Pricing', 'Signed Up', 'Order Completed'];

/** The scripted session; returns the anonymous id before signup and the one after logout. */
async function session(page: Page, userId: string, extra = ''): Promise<{ before: string; after: string }> {
  // A script still loading holds the window's load event (not parsing or rendering), so wait for the DOM only.
  await page.goto(`${siteUrl}/?mp=${encodeURIComponent(emulator.url)}&proxy=${encodeURIComponent(proxy.url)}${extra}`, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => typeof (window as unknown as { tally?: { flush?: unknown } }).tally?.flush === 'function');
  return page.evaluate(async (userId) => {
    const tally = (window as unknown as { tally: Tally }).tally;
    const before = tally.user().anonymousId();
    tally.page('Home');
    tally.track('Viewed Pricing', { plan: 'pro' });
    tally.page('Signup');
    tally.alias(userId);
    tally.identify(userId, { email: `${userId}@example.com`, name: 'Ada' });
    tally.track('Signed Up', { plan: 'pro' });
    tally.track('Order Completed', { revenue: 30, currency: 'EUR' });
    tally.group('acme', { name: 'Acme' });
    tally.reset();
    const after = tally.user().anonymousId();
    tally.page('Home');
    tally.track('Viewed Pricing', { plan: 'free' });
    await tally.ready();
    await tally.flush();
    return { before, after };
  }, userId);
}

/** Names of our events in `id`'s identity cluster, sorted (calls in one tick share a millisecond, so no order). */
const namesOf = (id: string) =>
  emulator
    .eventsOf(id)
    .filter((e) => OURS.includes(e.event))
    .map((e) => e.event)
    .sort();

/** Waits for the session's data, then checks identities, events, profile and group. */
async function expectSession(userId: string, ids: { before: string; after: string }) {
  const later = `$device:${ids.after}`;
  await expect.poll(() => namesOf(userId).length, { timeout: 20_000 }).toBe(5);
  await expect.poll(() => namesOf(later).length, { timeout: 20_000 }).toBe(2);
  await expect.poll(() => emulator.groupOf('company', 'acme')?.properties.name, { timeout: 20_000 }).toBe('Acme');
  await expect.poll(() => (emulator.profileOf(userId)?.properties.$transactions as unknown[] | undefined)?.length, { timeout: 20_000 }).toBe(1);

  // The anonymous visit merged into the user; the visitor after logout is someone else.
  expect(emulator.clusterOf(userId).ids).toEqual(expect.arrayContaining([userId, `$device:${ids.before}`]));
  expect(emulator.clusterOf(userId).ids).not.toContain(later);
  expect(emulator.clusterOf(later).ids).not.toContain(userId);
  expect(namesOf(userId)).toEqual(['Loaded a Page', 'Loaded a Page', 'Order Completed', 'Signed Up', 'Viewed Pricing']);
  expect(namesOf(later)).toEqual(['Loaded a Page', 'Viewed Pricing']);

  const ours = emulator.events().filter((e) => OURS.includes(e.event));
  expect(ours).toHaveLength(7);
  // Tally's anonymous id is Mixpanel's $device_id; the user's events carry $user_id.
  expect(ours.filter((e) => e.properties.$device_id === ids.before)).toHaveLength(5);
  expect(ours.filter((e) => e.properties.$device_id === ids.after)).toHaveLength(2);
  const order = ours.find((e) => e.event === 'Order Completed')!;
  expect(order.properties).toMatchObject({ $user_id: userId, revenue: 30, currency: 'EUR' });
  expect(ours.every((e) => e.duplicates === 0)).toBe(true);

  const profile = emulator.profileOf(userId)!.properties;
  expect(profile).toMatchObject({ $email: `${userId}@example.com`, $name: 'Ada', company: ['acme'] });
  expect(profile.$transactions).toEqual([expect.objectContaining({ $amount: 30 })]);
  expect(emulator.profileOf(later)).toBeUndefined();
  return { ours, profile };
}

/** Every request the context makes to `origin`. */
function requestsTo(context: BrowserContext, origin: () => string) {
  const urls: string[] = [];
  context.on('request', (request) => {
    if (request.url().startsWith(origin())) urls.push(request.url());
  });
  return urls;
}

/** The message ids of every `/v1/batch` post (gzip or not). */
function batchedIds(context: BrowserContext) {
  const ids: string[] = [];
  context.on('request', (request) => {
    if (!request.url().endsWith('/v1/batch')) return;
    const raw = request.postDataBuffer() ?? Buffer.from('{}');
    const text = (request.headers()['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
    ids.push(...((JSON.parse(text) as { batch?: { messageId: string }[] }).batch ?? []).map((m) => m.messageId));
  });
  return ids;
}

// Added by mixpanel.js (device) or the proxy (cloud) from the page and request, not from the call.
const AUTOMATIC = /^(\$|mp_)|^(token|time|distinct_id|ip)$/;
/** An event as the call made it: name and the call's own properties. */
const asCalled = (e: { event: string; properties: Record<string, unknown> }) =>
  JSON.stringify([e.event, Object.fromEntries(Object.entries(e.properties).filter(([k]) => !AUTOMATIC.test(k)).sort())]);

test('device mode: the real mixpanel.js records the session on the right identities, profile and group', async ({ page, context }) => {
  const toProxy = requestsTo(context, () => proxy.url);
  const toEmulator = requestsTo(context, () => emulator.url);
  const toSite = requestsTo(context, () => siteUrl);
  const ids = await session(page, 'user-device');
  await expectSession('user-device', ids);
  expect(toEmulator.some((url) => url.includes('/track/'))).toBe(true);
  expect(toProxy).toEqual([]);
  // The fallback's code is fetched only when mixpanel.js does not come.
  expect(toSite.filter((url) => url.includes('tally-device-fallback'))).toEqual([]);
  expect(emulator.rejections()).toEqual([]);
});

test('mixpanel.js blocked: the same session arrives through the cloud fallback and the proxy, once', async ({ page, context }) => {
  await context.route('**/mixpanel.min.js', (route) => route.abort());
  const toEmulator = requestsTo(context, () => emulator.url);
  const toSite = requestsTo(context, () => siteUrl);
  const batches = batchedIds(context);
  const ids = await session(page, 'user-cloud');
  await expectSession('user-cloud', ids);
  expect(toSite.filter((url) => url.includes('tally-device-fallback'))).toEqual([`${siteUrl}/tally-device-fallback.min.js`]);
  // Nothing through mixpanel.js, each call posted once (10 calls: pages, tracks, alias, identify, group).
  expect(toEmulator).toEqual([]);
  expect(batches).toHaveLength(10);
  expect(new Set(batches).size).toBe(10);
  expect(emulator.rejections()).toEqual([]);
});

test('mixpanel.js blocked and the fallback code slow: calls wait for it, then arrive once', async ({ page, context }) => {
  await context.route('**/mixpanel.min.js', (route) => route.abort());
  await context.route('**/tally-device-fallback.min.js', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 800));
    await route.continue();
  });
  const batches = batchedIds(context);
  const ids = await session(page, 'user-lazy');
  await expectSession('user-lazy', ids);
  expect(batches).toHaveLength(10);
  expect(new Set(batches).size).toBe(10);
});

test('mixpanel.js and the fallback code both blocked: one clear error, nothing sent', async ({ page, context }) => {
  await context.route('**/mixpanel.min.js', (route) => route.abort());
  await context.route('**/tally-device-fallback.min.js', (route) => route.abort());
  const toProxy = requestsTo(context, () => proxy.url);
  const logged: string[] = [];
  page.on('console', (m) => logged.push(m.text()));
  await session(page, 'user-none');
  // The page runs with debug on, so the client prints what its error event reports.
  expect(logged.filter((text) => text.includes("the cloud fallback's code failed to load"))).toHaveLength(1);
  expect(toProxy).toEqual([]);
  expect(emulator.events()).toEqual([]);
});

test('mixpanel.js too slow: the fallback takes over at the timeout and the late mixpanel.js sends nothing', async ({ page, context }) => {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await context.route('**/mixpanel.min.js', async (route) => {
    await released;
    await route.continue();
  });
  const toEmulator = requestsTo(context, () => emulator.url);
  const batches = batchedIds(context);
  const ids = await session(page, 'user-slow', '&timeout=300');
  release();
  // mixpanel.js arrives and starts the queued instance, which Tally no longer uses.
  await page.waitForFunction(() => Boolean((window as unknown as { mixpanel?: { tally?: { __loaded?: boolean } } }).mixpanel?.tally?.__loaded));
  await page.evaluate(async () => {
    const tally = (window as unknown as { tally: Tally }).tally;
    tally.track('Viewed Pricing', { plan: 'late' });
    await tally.flush();
  });
  await expect.poll(() => namesOf(`$device:${ids.after}`).length, { timeout: 20_000 }).toBe(3);
  expect(toEmulator).toEqual([]);
  expect(batches).toHaveLength(11);
  expect(new Set(batches).size).toBe(11);
});

test('both modes record the same events with the same properties, and the same profile', async ({ browser }) => {
  const device = await browser.newContext();
  const cloud = await browser.newContext();
  try {
    await cloud.route('**/mixpanel.min.js', (route) => route.abort());
    await session(await device.newPage(), 'user-a');
    await session(await cloud.newPage(), 'user-b');
    await expect.poll(() => namesOf('user-a').length, { timeout: 20_000 }).toBe(5);
    await expect.poll(() => namesOf('user-b').length, { timeout: 20_000 }).toBe(5);
    const of = (id: string) => emulator.eventsOf(id).filter((e) => OURS.includes(e.event)).map(asCalled).sort();
    expect(of('user-b')).toEqual(of('user-a'));
    const profile = (id: string) => {
      const p = emulator.profileOf(id)!.properties;
      return { name: p.$name, company: p.company, amounts: (p.$transactions as { $amount: number }[]).map((t) => t.$amount) };
    };
    await expect.poll(() => emulator.profileOf('user-b')?.properties.company, { timeout: 20_000 }).toEqual(['acme']);
    expect(profile('user-b')).toEqual(profile('user-a'));
  } finally {
    await device.close();
    await cloud.close();
  }
});
