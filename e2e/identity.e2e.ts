// Identity through the script tag and the built bundle: reloads, a second tab, and logout.
import type { Page } from '@playwright/test';
import { expect, test, type E2EWindow } from './fixtures.js';

async function open(page: Page) {
  await page.goto('/e2e/snippet.html');
  await page.evaluate(() => (window as unknown as E2EWindow).tally.ready());
}

const who = (page: Page) =>
  page.evaluate(() => {
    const user = (window as unknown as E2EWindow).tally.user();
    return { id: user.id(), anonymousId: user.anonymousId(), traits: user.traits() };
  });

async function trackAndRead(page: Page, event: string) {
  await page.evaluate((name) => (window as unknown as E2EWindow).tally.track(name), event);
  await page.waitForFunction((name) => (window as unknown as E2EWindow).recorded.some((m) => m.event === name), event);
  return page.evaluate((name) => (window as unknown as E2EWindow).recorded.find((m) => m.event === name)!, event);
}

test('identity survives a reload', async ({ page }) => {
  await open(page);
  const before = await who(page);
  expect(before.anonymousId).toEqual(expect.any(String));
  expect(before.id).toBeNull();
  await page.evaluate(() => (window as unknown as E2EWindow).tally.identify('user-7', { name: 'Ada' }));

  await page.reload();
  await page.evaluate(() => (window as unknown as E2EWindow).tally.ready());
  expect(await who(page)).toEqual({ id: 'user-7', anonymousId: before.anonymousId, traits: { name: 'Ada' } });
  const message = await trackAndRead(page, 'After reload');
  expect(message).toMatchObject({ userId: 'user-7', anonymousId: before.anonymousId });
});

test('a second tab in the same browser sees the same anonymous id', async ({ page, context }) => {
  await open(page);
  const first = await who(page);
  const second = await context.newPage();
  await open(second);
  expect((await who(second)).anonymousId).toBe(first.anonymousId);
  const message = await trackAndRead(second, 'From tab two');
  expect(message.anonymousId).toBe(first.anonymousId);
  await second.close();
});

test('reset() on logout starts a new anonymous id and forgets the user and traits', async ({ page }) => {
  await open(page);
  await page.evaluate(() => (window as unknown as E2EWindow).tally.identify('user-9', { plan: 'pro' }));
  const loggedIn = await who(page);
  expect(loggedIn).toMatchObject({ id: 'user-9', traits: { plan: 'pro' } });

  await page.evaluate(() => (window as unknown as E2EWindow).tally.reset());
  const loggedOut = await who(page);
  expect(loggedOut.id).toBeNull();
  expect(loggedOut.traits).toEqual({});
  expect(loggedOut.anonymousId).toEqual(expect.any(String));
  expect(loggedOut.anonymousId).not.toBe(loggedIn.anonymousId);
  const message = await trackAndRead(page, 'After logout');
  expect(message.anonymousId).toBe(loggedOut.anonymousId);
  expect(message.userId ?? null).toBeNull();

  await page.reload();
  await page.evaluate(() => (window as unknown as E2EWindow).tally.ready());
  expect(await who(page)).toEqual(loggedOut);
});
