import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { createEmulator, DEFAULT_PROJECT, type Emulator } from '../packages/mixpanel-emulator/src/index.js';

// The real mixpanel.js from npm, served from a tiny static server on another port than the
// emulator, so every request is cross-origin and credentialed as on a real site.
const MIXPANEL_JS = readFileSync(fileURLToPath(new URL('../node_modules/mixpanel-browser/dist/mixpanel.min.js', import.meta.url)));
const PAGE = readFileSync(fileURLToPath(new URL('./fixtures/mixpanel-emulator/page.html', import.meta.url)));
const TOKEN = DEFAULT_PROJECT.token;

let emulator: Emulator;
let site: Server;
let siteUrl: string;

test.beforeAll(async () => {
  emulator = await createEmulator();
  site = createServer((req, res) => {
    if (req.url === '/mixpanel.min.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(MIXPANEL_JS);
    else if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await emulator.close();
  await new Promise<void>((resolve) => {
    site.close(() => resolve());
    site.closeAllConnections();
  });
});

test.beforeEach(() => emulator.reset());

/** Every record mixpanel.js posted to `path`, decoded from its base64 `data=` body. */
function recordSent(page: Page) {
  const sent: Record<string, unknown[]> = { track: [], engage: [], groups: [] };
  page.on('request', (req) => {
    const match = /\/(track|engage|groups)\/\?/.exec(req.url());
    const body = req.postData();
    if (!match || !body) return;
    const data = new URLSearchParams(body).get('data') ?? '';
    const records = JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as unknown;
    (sent[match[1] as string] as unknown[]).push(...(Array.isArray(records) ? records : [records]));
  });
  return sent;
}

async function boot(page: Page, batch: boolean): Promise<void> {
  await page.goto(siteUrl);
  await page.evaluate(
    ({ token, apiHost, batch }) =>
      new Promise<void>((resolve) => {
        const w = window as unknown as { mixpanel: { init(t: string, c: Record<string, unknown>): void } };
        w.mixpanel.init(token, { api_host: apiHost, batch_requests: batch, batch_flush_interval_ms: 200, debug: true, loaded: () => resolve() });
      }),
    { token: TOKEN, apiHost: emulator.url, batch },
  );
}

async function runScenario(page: Page): Promise<void> {
  await page.evaluate(() => {
    const mp = (window as unknown as { mixpanel: any }).mixpanel;
    mp.track('Viewed Pricing', { plan: 'pro', seats: 3 });
    mp.register({ app_version: '1.2.3' });
    mp.identify('user-42');
    mp.people.set({ $email: 'ada@example.com', plan: 'pro' });
    mp.people.set_once({ first_seen: '2026-11-23' });
    mp.people.increment('logins', 2);
    // Deprecated in mixpanel.js 2.83: it logs an error and sends nothing (mixpanel-people.js).
    mp.people.track_charge(30);
    mp.people.append('$transactions', { $time: '2026-11-23T10:00:00', $amount: 30 });
    mp.set_group('company', 'acme');
    mp.get_group('company', 'acme').set({ name: 'Acme' });
    mp.track('Upgraded', { amount: 30 });
  });
}

for (const batch of [true, false]) {
  test(`stores exactly what mixpanel.js sends (batch_requests: ${batch})`, async ({ page }) => {
    const sent = recordSent(page);
    await boot(page, batch);
    const deviceId = await page.evaluate(() => (window as unknown as { mixpanel: any }).mixpanel.get_property('$device_id') as string);
    await runScenario(page);

    await expect.poll(() => emulator.events({ event: 'Upgraded' }).length).toBe(1);
    await expect.poll(() => emulator.groupOf('company', 'acme')?.properties['name']).toBe('Acme');
    await expect.poll(() => emulator.profileOf('user-42')?.properties['logins']).toBe(2);
    await expect.poll(() => (emulator.profileOf('user-42')?.properties['$transactions'] as unknown[] | undefined)?.length).toBe(1);
    expect(emulator.rejections()).toEqual([]);

    // Every event stored carries exactly the properties mixpanel.js sent.
    const sentEvents = sent['track'] as { event: string; properties: Record<string, unknown> }[];
    expect(sentEvents.map((e) => e.event)).toEqual(expect.arrayContaining(['Viewed Pricing', '$identify', 'Upgraded']));
    for (const e of sentEvents) {
      const stored = emulator.events({ event: e.event }).find((s) => s.insertId === e.properties['$insert_id']);
      expect(stored, e.event).toBeDefined();
      expect(JSON.parse(JSON.stringify(stored?.properties))).toEqual(e.properties);
    }
    expect(emulator.events().every((e) => e.region === 'us' && e.endpoint === 'track')).toBe(true);

    const viewed = emulator.events({ event: 'Viewed Pricing' })[0];
    expect(viewed?.distinctId).toBe(`$device:${deviceId}`);
    expect(viewed?.properties).toMatchObject({ plan: 'pro', seats: 3, token: TOKEN, mp_lib: 'web', $device_id: deviceId });
    // A super property registered mid-session is on later events only.
    expect(viewed?.properties['app_version']).toBeUndefined();
    expect(emulator.events({ event: 'Upgraded' })[0]?.properties).toMatchObject({ app_version: '1.2.3', amount: 30, $user_id: 'user-42', company: ['acme'] });

    // Simplified ID merge: the device's anonymous events end up on the user.
    const cluster = emulator.clusterOf(`$device:${deviceId}`);
    expect(cluster.canonical).toBe('user-42');
    expect(cluster.ids.sort()).toEqual([`$device:${deviceId}`, 'user-42'].sort());
    expect(emulator.eventsOf('user-42').map((e) => e.event)).toEqual(expect.arrayContaining(['Viewed Pricing', '$identify', 'Upgraded']));

    // Batched updates may still be in flight: wait for every one mixpanel.js queued.
    await expect
      .poll(() => ({ ...emulator.profileOf('user-42')?.properties }))
      .toMatchObject({ $email: 'ada@example.com', plan: 'pro', first_seen: '2026-11-23', logins: 2, company: ['acme'] });
    const profile = emulator.profileOf('user-42');
    expect(profile?.properties['$transactions']).toEqual([{ $time: '2026-11-23T10:00:00', $amount: 30 }]);
    const sentUpdates = sent['engage'] as Record<string, unknown>[];
    expect(sentUpdates.length).toBeGreaterThanOrEqual(5);
    expect(sentUpdates.every((u) => u['$token'] === TOKEN)).toBe(true);
  });
}

test('the emulator answers the browser with credentialed CORS', async ({ page }) => {
  await boot(page, false);
  const response = page.waitForResponse((r) => r.url().includes('/track/'));
  await page.evaluate(() => (window as unknown as { mixpanel: any }).mixpanel.track('Ping'));
  const res = await response;
  expect(res.status()).toBe(200);
  expect(res.headers()['access-control-allow-origin']).toBe(siteUrl);
  expect(res.headers()['access-control-allow-credentials']).toBe('true');
  // Without batching mixpanel.js asks for the plain answer; the batcher asks for verbose JSON.
  expect(await res.text()).toBe(res.url().includes('verbose=1') ? '{"status":1,"error":null}' : '1');
});
