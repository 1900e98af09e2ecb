import { expect, test } from '@playwright/test';
import { createEmulator, DEFAULT_PROJECT, type Emulator } from '../packages/mixpanel-emulator/src/index.js';

const TOKEN = DEFAULT_PROJECT.token;
let emulator: Emulator;

test.beforeAll(async () => {
  emulator = await createEmulator();
});
test.afterAll(async () => {
  await emulator.close();
});

/** Posts records to an ingestion endpoint as JSON, from the test's Node process. */
async function post(path: string, records: unknown[]): Promise<void> {
  const res = await fetch(`${emulator.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(records) });
  expect(res.status).toBe(200);
}

const event = (name: string, props: Record<string, unknown> = {}) => ({
  event: name,
  properties: { token: TOKEN, distinct_id: 'user-7', time: Date.now() / 1000, ...props },
});

test('the inspector page lists events, profiles, groups and rejections live, as text', async ({ page }) => {
  const hostile = '<img src=x onerror="window.__pwned=1">';
  await post('/track', [event('Signed Up', { plan: 'pro' }), event(hostile)]);
  await post('/engage', [{ $token: TOKEN, $distinct_id: 'user-7', $set: { $email: 'seven@example.com' } }]);
  await post('/groups', [{ $token: TOKEN, $group_key: 'company', $group_id: 'acme', $set: { name: 'Acme Inc' } }]);
  await post('/track', [{ event: 'No Token', properties: { distinct_id: 'user-7' } }]);

  await page.goto(`${emulator.url}/`);
  const events = page.locator('#events tbody tr.row');
  await expect(events).toHaveCount(2);
  await expect(page.locator('#events')).toContainText('Signed Up');
  await expect(page.locator('#events')).toContainText('"plan": "pro"');
  // A hostile event name is shown as text, never run as markup.
  await expect(page.locator('#events')).toContainText(hostile);
  await expect(page.locator('#events img')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

  await expect(page.locator('#profiles')).toContainText('seven@example.com');
  await expect(page.locator('#groups')).toContainText('company = acme');
  await expect(page.locator('#groups')).toContainText('Acme Inc');
  await expect(page.locator('#rejections')).toContainText("'properties.token' is required");
  await expect(page.locator('#stats')).toContainText('2 events stored');

  // New data appears without a reload.
  await post('/track', [event('Upgraded')]);
  await expect(events).toHaveCount(3);
  await expect(events.first()).toContainText('Upgraded');

  // The filter narrows the list; Reset empties the emulator.
  await page.fill('#filter', 'Upgraded');
  await expect(events).toHaveCount(1);
  await page.fill('#filter', '');
  await page.click('#reset');
  await expect(page.locator('#events tbody')).toContainText('none yet');
  await expect(page.locator('#stats')).toContainText('0 events stored');
  expect(emulator.stats().events.stored).toBe(0);
});

test('the page is also served at /_emulator/ui', async ({ page }) => {
  await page.goto(`${emulator.url}/_emulator/ui`);
  await expect(page.locator('h1')).toContainText('Mixpanel emulator');
  await expect(page.locator('#stats')).toContainText('events stored');
});
