// The examples as a person uses them, on the built bundles: the script-tag site, the SPA and the
// device-mode page, in cloud mode as `npm start` serves them: the examples server forwards /v1 and
// /mp to a real proxy, which delivers to a Mixpanel emulator (all three started here, per worker).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { createEmulator, DEFAULT_PROJECT, type Emulator } from '../packages/mixpanel-emulator/src/index.js';
import { startProxyServer } from '../packages/proxy/src/index.js';
import { expect, test as base, type Recorded } from './fixtures.js';

interface Stack {
  url: string;
  emulator: Emulator;
}
interface ServeModule {
  startExamplesServer(options: { port?: number; apiProxy?: () => string | undefined; mixpanelUrl?: string }): Promise<{ url: string; close(): Promise<void> }>;
}

/** The fixtures' tests with `baseURL` at an examples server in front of a proxy and an emulator. */
const test = base.extend<object, { stack: Stack }>({
  stack: [
    async ({}, use) => {
      const emulator = await createEmulator();
      const dataDir = mkdtempSync(join(tmpdir(), 'tally-examples-e2e-'));
      let proxyUrl: string | undefined;
      // scripts/ is plain JS without declarations; this cast is its one typed edge.
      const serve = (await import(new URL('../scripts/serve-examples.mjs', import.meta.url).href)) as ServeModule;
      // Started before the proxy, whose allowed origin it is (as in scripts/start.mjs).
      const examples = await serve.startExamplesServer({ port: 0, apiProxy: () => proxyUrl, mixpanelUrl: `${emulator.url}/` });
      const proxy = await startProxyServer({
        writeKeys: ['demo-write-key'],
        mixpanel: { token: DEFAULT_PROJECT.token, apiSecret: DEFAULT_PROJECT.secret },
        mixpanelApiUrl: emulator.url,
        allowedOrigins: [examples.url],
        dataDir,
        port: 0,
        host: '127.0.0.1',
        logLevel: 'silent',
        delivery: { pollMs: 50, batchWaitMs: 0 },
      });
      proxyUrl = proxy.url;
      await use({ url: examples.url, emulator });
      await proxy.close();
      await examples.close();
      await emulator.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ stack }, use) => use(stack.url),
});

type TallyWindow = Window & { tally: { user(): { anonymousId(): string } } };
/** The page's anonymous id once the client (not the snippet's stub) is installed. */
const anonymousIdOf = async (page: Page) => {
  await page.waitForFunction(() => typeof (window as unknown as TallyWindow).tally?.user?.().anonymousId?.() === 'string');
  return page.evaluate(() => (window as unknown as TallyWindow).tally.user().anonymousId());
};
/** Waits for `event` of the anonymous visitor `anonymousId` to arrive in the emulator. */
async function arrived(emulator: Emulator, anonymousId: string, event: string) {
  const find = () => emulator.events({ event, distinctIds: [`$device:${anonymousId}`] })[0];
  await expect.poll(find, { timeout: 20_000, message: `${event} in the emulator` }).toBeDefined();
  return find()!;
}

type LogWindow = Window & { tallyPageLog: { messages: Recorded[] } };
type PageContext = { url: string; path: string; referrer: string; title: string };

/** Waits for the on-page log to hold a message matching `match`, then returns every logged message. */
async function logged(page: Page, match: Partial<Recorded> & { type: string }) {
  await page.waitForFunction(
    (want) => (window as unknown as LogWindow).tallyPageLog.messages.some((m) => Object.entries(want).every(([k, v]) => m[k] === v)),
    match,
  );
  return page.evaluate(() => (window as unknown as LogWindow).tallyPageLog.messages);
}

const pageOf = (message: Recorded) => (message.context as { page: PageContext }).page;

test('the examples index links to every example and to Mixpanel', async ({ page, stack }) => {
  await page.goto('/');
  await expect(page.getByRole('link', { name: 'Script tag' })).toHaveAttribute('href', '/script-tag/');
  await expect(page.getByRole('link', { name: 'Single-page app' })).toHaveAttribute('href', '/spa/');
  await expect(page.getByRole('link', { name: 'Device mode' })).toHaveAttribute('href', '/device/');
  await expect(page.getByRole('link', { name: /in Mixpanel/ })).toHaveAttribute('href', '/mixpanel');
  const live = await page.request.get('/mixpanel', { maxRedirects: 0 });
  expect(live.status()).toBe(302);
  expect(live.headers().location).toBe(`${stack.emulator.url}/`);
});

test.describe('script-tag site', () => {
  test('every page records its page view', async ({ page, baseURL }) => {
    for (const [path, name] of [['/script-tag/', 'Home'], ['/script-tag/product.html', 'Product'], ['/script-tag/login.html', 'Login']]) {
      await page.goto(path!);
      const [view] = await logged(page, { type: 'page', name: name! });
      expect(pageOf(view!).url).toBe(`${baseURL}${path}`);
      await expect(page.locator('#tally-log')).toContainText(name!);
    }
  });

  test('Buy tracks the order, login identifies across pages, logout resets', async ({ page, stack }) => {
    await page.goto('/script-tag/product.html');
    await page.getByRole('button', { name: 'Buy' }).click();
    const order = (await logged(page, { type: 'track', event: 'Order Completed' })).find((m) => m.event === 'Order Completed')!;
    expect(order.properties).toMatchObject({ revenue: 24, currency: 'USD', products: [{ product_id: 'mug-350', quantity: 1 }] });
    const anonymousId = order.anonymousId;
    // Cloud mode: through /v1 on the page's origin to the proxy, and on to Mixpanel, mapped.
    const delivered = await arrived(stack.emulator, String(anonymousId), 'Order Completed');
    expect(delivered).toMatchObject({ endpoint: 'import', insertId: order.messageId });
    expect(delivered.properties).toMatchObject({ token: DEFAULT_PROJECT.token, $device_id: anonymousId, revenue: 24, currency: 'USD' });

    await page.getByRole('link', { name: 'Log in' }).click();
    await page.getByRole('button', { name: 'Log in' }).click();
    const identify = (await logged(page, { type: 'identify' })).find((m) => m.type === 'identify')!;
    expect(identify).toMatchObject({ userId: 'ada@example.com', anonymousId, traits: { email: 'ada@example.com', name: 'Ada Lovelace' } });
    await expect(page.locator('#identity')).toContainText('userId:      ada@example.com');

    await page.getByRole('link', { name: 'Home' }).click();
    const home = (await logged(page, { type: 'page', name: 'Home' })).find((m) => m.type === 'page')!;
    expect(home).toMatchObject({ userId: 'ada@example.com', anonymousId });

    await page.getByRole('button', { name: 'Log out' }).click();
    await logged(page, { type: 'reset' });
    await expect(page.locator('#identity')).toContainText('userId:      null');
    await expect(page.locator('#identity')).not.toContainText(String(anonymousId));
  });
});

test.describe('single-page app', () => {
  test('each route change is one page view with the right url and referrer, delivered in cloud mode', async ({ page, baseURL, stack }) => {
    await page.goto('/spa/');
    await logged(page, { type: 'page' });
    await page.getByRole('link', { name: 'Pricing' }).click();
    await expect(page.getByRole('heading', { name: 'Pricing' })).toBeVisible();
    await page.getByRole('link', { name: 'Account' }).click();
    await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
    await page.goBack();
    await expect(page.getByRole('heading', { name: 'Pricing' })).toBeVisible();
    await page.getByRole('button', { name: 'Start trial' }).click();
    const trial = (await logged(page, { type: 'track', event: 'Trial Started' })).find((m) => m.type === 'track')!;
    expect(trial.properties).toEqual({ plan: 'pro', price: 12 });
    const delivered = await arrived(stack.emulator, String(trial.anonymousId), 'Trial Started');
    expect(delivered).toMatchObject({ endpoint: 'import', insertId: trial.messageId });
    expect(delivered.properties).toMatchObject({ plan: 'pro', price: 12 });
    const pageViews = async () => (await page.evaluate(() => (window as unknown as LogWindow).tallyPageLog.messages)).filter((m) => m.type === 'page');
    await expect.poll(async () => (await pageViews()).length).toBe(4);
    const all = await pageViews();
    expect(all.map((m) => [pageOf(m).url, pageOf(m).referrer])).toEqual([
      [`${baseURL}/spa/`, ''],
      [`${baseURL}/spa/pricing`, `${baseURL}/spa/`],
      [`${baseURL}/spa/account`, `${baseURL}/spa/pricing`],
      [`${baseURL}/spa/pricing`, `${baseURL}/spa/account`],
    ]);
    expect(all.map((m) => m.name)).toEqual(['Home', 'Pricing', 'Account', 'Pricing']);
    expect(all.map((m) => pageOf(m).title)).toEqual(['Home · Tally SPA', 'Pricing · Tally SPA', 'Account · Tally SPA', 'Pricing · Tally SPA']);
  });

  test('a deep link loads the app on that route', async ({ page, baseURL }) => {
    await page.goto('/spa/pricing');
    await expect(page.getByRole('heading', { name: 'Pricing' })).toBeVisible();
    const [view] = await logged(page, { type: 'page' });
    expect(pageOf(view!).url).toBe(`${baseURL}/spa/pricing`);
  });

  test('login aliases and identifies, logout resets', async ({ page }) => {
    await page.goto('/spa/account');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.locator('#who')).toHaveText('grace@example.com');
    const messages = await logged(page, { type: 'identify' });
    const alias = messages.find((m) => m.type === 'alias')!;
    const identify = messages.find((m) => m.type === 'identify')!;
    expect(alias).toMatchObject({ userId: 'grace@example.com', previousId: alias.anonymousId });
    expect(identify).toMatchObject({ userId: 'grace@example.com', traits: { email: 'grace@example.com', name: 'Grace Hopper' } });

    await page.getByRole('button', { name: 'Log out' }).click();
    await logged(page, { type: 'reset' });
    await expect(page.getByRole('heading', { name: 'Home' })).toBeVisible();
    await expect(page.locator('#identity')).toContainText('userId:      null');
    await expect(page.locator('#identity')).not.toContainText(String(identify.anonymousId));
  });
});

test.describe('device mode', () => {
  test('mixpanel.js, loaded from this server, sends through the proxy pass-through', async ({ page, stack }) => {
    await page.goto('/device/');
    await logged(page, { type: 'page', name: 'Device mode' });
    await expect(page.locator('#identity')).toContainText('mixpanel.js loaded');
    await page.getByRole('button', { name: 'Track' }).click();
    await logged(page, { type: 'track', event: 'Button Clicked' });
    const anonymousId = await anonymousIdOf(page);
    // mixpanel.js posts to Mixpanel's /track (through /mp here), not to the proxy's ingest.
    expect(await arrived(stack.emulator, anonymousId, 'Button Clicked')).toMatchObject({ endpoint: 'track', properties: { button: 'device-demo' } });
  });

  test.describe('mixpanel.js blocked', () => {
    // The page asks for a mixpanel.js that is not there, as a blocker would: the browser logs the 404.
    test.use({ allowedConsoleErrors: [/404/] });
    test('the cloud fallback delivers the same calls through the proxy', async ({ page, stack }) => {
      await page.goto('/device/?blocked');
      await logged(page, { type: 'page', name: 'Device mode' });
      await expect(page.locator('#identity')).toContainText('cloud fallback');
      await page.getByRole('button', { name: 'Track' }).click();
      const anonymousId = await anonymousIdOf(page);
      expect(await arrived(stack.emulator, anonymousId, 'Button Clicked')).toMatchObject({ endpoint: 'import', properties: { button: 'device-demo' } });
    });
  });
});
