// The inline snippet with the built bundle: queuing and replay, a blocked bundle, CSP nonces, double loads.
import type { Page, Request } from '@playwright/test';
import { expect, test, type E2EWindow, type Recorded } from './fixtures.js';

/** Holds every request for the bundle until `release()`, so calls are made against the stub. */
async function holdBundle(page: Page) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const requested = page.waitForRequest((request) => request.url().endsWith('/tally.min.js'));
  await page.route('**/tally.min.js', async (route) => {
    await released;
    await route.continue();
  });
  return { requested, release };
}

const recorded = (page: Page) => page.evaluate(() => (window as unknown as E2EWindow).recorded);
const label = (message: Recorded) => (message.type === 'track' ? String(message.event) : message.type);

test('queues calls made before the bundle and replays them in order with their original times and pages', async ({ page }) => {
  const bundle = await holdBundle(page);
  // The held bundle delays the load event, so wait only for the document.
  await page.goto('/e2e/snippet.html', { waitUntil: 'domcontentloaded' });
  await bundle.requested;

  const queued = await page.evaluate(() => {
    const { tally } = window as unknown as E2EWindow;
    tally.page('Landing');
    tally.identify('user-1', { plan: 'pro' });
    history.pushState(null, '', '/e2e/snippet.html?step=2');
    tally.track('Clicked', { n: 1 });
    tally.track('Clicked', { n: 2 });
    return tally._q!.map(([method, , timestamp, where]) => ({ method, timestamp, where }));
  });
  expect(queued.map((call) => call.method)).toEqual(['addDestination', 'page', 'identify', 'track', 'track']);
  expect(await recorded(page)).toEqual([]);

  // Let the clock move past the last queued call, so a replay stamped "now" could not pass.
  const last = queued.at(-1)!.timestamp;
  await page.waitForFunction((t) => Date.now() > t + 20, last);
  bundle.release();
  await page.waitForFunction(() => (window as unknown as E2EWindow).recorded.length >= 4);

  const messages = await recorded(page);
  expect(messages.map(label)).toEqual(['page', 'identify', 'Clicked', 'Clicked']);
  expect(messages.map((m) => m.timestamp)).toEqual(queued.slice(1).map((call) => new Date(call.timestamp).toISOString()));
  expect(messages.map((m) => (m.properties as { n?: number } | undefined)?.n)).toEqual([undefined, undefined, 1, 2]);
  const pages = messages.map((m) => (m.context as { page: { path: string; search: string } }).page);
  expect(pages[0]).toMatchObject({ path: '/e2e/snippet.html', search: '' });
  expect(pages[2]).toMatchObject({ path: '/e2e/snippet.html', search: '?step=2' });
  expect(messages[2]!.userId).toBe('user-1');
  expect(await page.evaluate(() => typeof (window as unknown as E2EWindow).tally.user().anonymousId())).toBe('string');
});

test('requests the bundle once however often load() is called', async ({ page }) => {
  const requests: Request[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/tally.min.js')) requests.push(request);
  });
  const bundle = await holdBundle(page);
  await page.goto('/e2e/snippet.html', { waitUntil: 'domcontentloaded' });
  await bundle.requested;
  await page.evaluate(() => {
    const { tally } = window as unknown as E2EWindow;
    tally.load('another-key');
    tally.track('After load');
  });
  bundle.release();
  await page.waitForFunction(() => (window as unknown as E2EWindow).recorded.some((m) => m.event === 'After load'));
  await page.waitForLoadState('load');
  expect(requests).toHaveLength(1);
  expect(await page.locator('script[src$="/tally.min.js"]').count()).toBe(1);
});

test('loading the bundle a second time neither replaces the client nor doubles events', async ({ page }) => {
  await page.goto('/e2e/snippet.html');
  await page.evaluate(() => {
    const win = window as unknown as E2EWindow & { first?: unknown };
    win.first = win.tally;
    win.tally.track('Before second load');
    return win.tally.ready();
  });
  await page.addScriptTag({ url: '/tally.min.js' });
  await page.evaluate(() => (window as unknown as E2EWindow).tally.track('After second load'));
  await page.waitForFunction(() => (window as unknown as E2EWindow).recorded.some((m) => m.event === 'After second load'));
  expect((await recorded(page)).filter((m) => m.type === 'track').map(label)).toEqual(['Before second load', 'After second load']);
  expect(await page.evaluate(() => (window as unknown as E2EWindow & { first?: unknown }).first === (window as unknown as E2EWindow).tally)).toBe(true);
});

test('copies the snippet script nonce to the bundle, so it loads under a strict CSP', async ({ page }) => {
  await page.goto('/e2e/nonce.html');
  await page.waitForFunction(() => (window as unknown as E2EWindow).recorded.some((m) => m.event === 'Under CSP'));
  const nonce = await page.evaluate(() => document.querySelector<HTMLScriptElement>('script[src$="/tally.min.js"]')?.nonce);
  expect(nonce).toBe('e2e-n0nce');
});

test.describe('when the bundle is blocked', () => {
  // Chromium itself logs the failed request; that line is expected, anything else is not.
  test.use({ allowedConsoleErrors: [/Failed to load resource/] });

  test('the stub answers getters with empty values and keeps queuing, with no page errors', async ({ page, pageErrors }) => {
    await page.route('**/tally.min.js', (route) => route.abort('blockedbyclient'));
    const failed = page.waitForEvent('requestfailed', (request) => request.url().endsWith('/tally.min.js'));
    await page.goto('/e2e/snippet.html');
    await failed;
    const state = await page.evaluate(() => {
      const { tally } = window as unknown as E2EWindow;
      tally.track('While blocked');
      tally.identify('user-2', { name: 'Blocked' });
      const user = tally.user();
      const group = tally.group();
      return {
        id: user.id(),
        anonymousId: user.anonymousId(),
        traits: user.traits(),
        groupId: group.id(),
        groupTraits: group.traits(),
        queued: tally._q!.map(([method]) => method),
      };
    });
    expect(state).toEqual({
      id: null,
      anonymousId: null,
      traits: {},
      groupId: null,
      groupTraits: {},
      queued: ['addDestination', 'track', 'identify'],
    });
    expect(pageErrors).toEqual([]);
  });
});
