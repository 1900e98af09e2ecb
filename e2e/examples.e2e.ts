// The examples as a person uses them, on the built bundles: the script-tag site and the SPA.
import type { Page } from '@playwright/test';
import { expect, test, type Recorded } from './fixtures.js';

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

test('the examples index links to both examples', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('link', { name: 'Script tag' })).toHaveAttribute('href', '/script-tag/');
  await expect(page.getByRole('link', { name: 'Single-page app' })).toHaveAttribute('href', '/spa/');
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

  test('Buy tracks the order, login identifies across pages, logout resets', async ({ page }) => {
    await page.goto('/script-tag/product.html');
    await page.getByRole('button', { name: 'Buy' }).click();
    const order = (await logged(page, { type: 'track', event: 'Order Completed' })).find((m) => m.event === 'Order Completed')!;
    expect(order.properties).toMatchObject({ revenue: 24, currency: 'USD', products: [{ product_id: 'mug-350', quantity: 1 }] });
    const anonymousId = order.anonymousId;

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
  test('each route change is one page view with the right url and referrer', async ({ page, baseURL }) => {
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
