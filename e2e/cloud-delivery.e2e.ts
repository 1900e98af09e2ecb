// Cloud mode end to end: the built dist/tally-cloud.min.js in Chromium → the real proxy (another
// port, so cross-origin) → the Mixpanel emulator. Requests are read on the wire, so a double send
// is caught even though the emulator would dedupe it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { BrowserContext, Page, Request } from '@playwright/test';
import { createEmulator, DEFAULT_PROJECT, type Emulator } from '../packages/mixpanel-emulator/src/index.js';
import { startProxyServer, type ProxyServer } from '../packages/proxy/src/index.js';
import { expect, test } from './fixtures.js';

let emulator: Emulator;
let proxy: ProxyServer;
let dataDir: string;

test.use({
  // Offline and 503 answers are logged by Chromium as failed resource loads; they are the point here.
  // One pattern: Playwright would read a two-element array as [value, fixture options].
  allowedConsoleErrors: [/Failed to load resource|net::ERR_/],
});

test.beforeAll(async () => {
  emulator = await createEmulator();
  dataDir = mkdtempSync(join(tmpdir(), 'tally-cloud-e2e-'));
  proxy = await startProxyServer({
    writeKeys: ['wk'],
    mixpanel: { token: DEFAULT_PROJECT.token, apiSecret: DEFAULT_PROJECT.secret },
    mixpanelApiUrl: emulator.url,
    allowedOrigins: ['*'],
    dataDir,
    port: 0,
    host: '127.0.0.1',
    rateLimit: false,
    logLevel: 'silent',
    delivery: { pollMs: 50, batchWaitMs: 0 },
  });
});

test.afterAll(async () => {
  await proxy.close();
  await emulator.close();
  rmSync(dataDir, { recursive: true, force: true });
});

type TallyWindow = Window & {
  tally: { track(event: string, properties?: object): void; flush(): Promise<void> };
  queued(): Promise<number>;
};

/** Every `/v1/batch` request the context sends: keepalive or not, gzip or not, with the message ids it carried. */
function watchBatches(context: BrowserContext) {
  const sent: { ids: string[]; gzip: boolean; request: Request }[] = [];
  context.on('request', (request) => {
    if (!request.url().endsWith('/v1/batch') || request.method() !== 'POST') return;
    const raw = request.postDataBuffer() ?? Buffer.alloc(0);
    const gzip = request.headers()['content-encoding'] === 'gzip';
    const body = JSON.parse((gzip ? gunzipSync(raw) : raw).toString('utf8')) as { batch: { messageId: string }[]; writeKey: string };
    expect(body.writeKey).toBe('wk');
    sent.push({ ids: body.batch.map((m) => m.messageId), gzip, request });
  });
  return { sent, ids: () => sent.flatMap((s) => s.ids) };
}

const run = () => `run-${Math.random().toString(36).slice(2, 10)}`;

/** Waits until the emulator holds `count` events of this run, then checks no copy was absorbed by dedupe. */
async function expectArrived(runId: string, count: number) {
  const ofRun = () => emulator.events({ event: 'Cloud E2E' }).filter((e) => e.properties.run === runId);
  await expect.poll(() => ofRun().length, { timeout: 60_000 }).toBe(count);
  return ofRun();
}

/** Opens the fixture page and waits until the destination has loaded and sent what an earlier page left. */
const open = async (page: Page) => {
  await page.goto(`/e2e/cloud/?proxy=${encodeURIComponent(proxy.url)}`);
  await page.waitForFunction(() => typeof (window as unknown as TallyWindow).tally?.flush === 'function');
  await page.evaluate(() => (window as unknown as TallyWindow).tally.flush());
};

const trackMany = (page: Page, runId: string, from: number, to: number) =>
  page.evaluate(
    ([runId, from, to]) => {
      for (let n = from; n < to; n++) (window as unknown as TallyWindow).tally.track('Cloud E2E', { run: runId, n });
    },
    [runId, from, to] as const,
  );

test('events reach the backend through the proxy, batched and gzipped, and leave the queue', async ({ page, context }) => {
  const batches = watchBatches(context);
  const runId = run();
  await open(page);
  await trackMany(page, runId, 0, 30);
  await page.evaluate(() => (window as unknown as TallyWindow).tally.flush());
  const events = await expectArrived(runId, 30);
  expect(new Set(events.map((e) => e.properties.n))).toEqual(new Set(Array.from({ length: 30 }, (_, n) => n)));
  expect(batches.sent.length).toBeLessThanOrEqual(2);
  expect(batches.sent.every((s) => s.gzip)).toBe(true);
  await expect.poll(() => page.evaluate(() => (window as unknown as TallyWindow).queued())).toBe(0);
});

test('steady traffic (one call every 20 ms) goes out in few requests', async ({ page, context }) => {
  const batches = watchBatches(context);
  const runId = run();
  await open(page);
  await page.evaluate(
    (runId) =>
      new Promise<void>((resolve) => {
        let n = 0;
        const timer = setInterval(() => {
          (window as unknown as TallyWindow).tally.track('Cloud E2E', { run: runId, n });
          if (++n === 100) {
            clearInterval(timer);
            resolve();
          }
        }, 20);
      }),
    runId,
  );
  await expectArrived(runId, 100);
  // Measured with 1,000 events: 14 requests (the design target is at most 20 per 1,000).
  console.log(`steady traffic: ${batches.sent.length} requests for 100 events`);
  expect(batches.sent.length).toBeLessThanOrEqual(5);
});

test('offline: calls are kept across a reload and all arrive exactly once when back online', async ({ context }) => {
  const batches = watchBatches(context);
  const runId = run();
  const first = await context.newPage();
  await open(first);
  await context.setOffline(true);
  await trackMany(first, runId, 0, 10);
  await expect.poll(() => first.evaluate(() => (window as unknown as TallyWindow).queued())).toBe(10);
  expect(batches.sent).toEqual([]);
  // Offline, a reload could not fetch the page; closing it and opening it again is the same restart.
  await first.close();
  await context.setOffline(false);
  const second = await context.newPage();
  await open(second);
  const events = await expectArrived(runId, 10);
  expect(events.every((e) => !e.duplicates)).toBe(true);
  const ids = batches.ids();
  expect(ids).toHaveLength(10);
  expect(new Set(ids).size).toBe(10);
  await expect.poll(() => second.evaluate(() => (window as unknown as TallyWindow).queued())).toBe(0);
});

test('the proxy answering 503 for a while: everything arrives afterwards', async ({ page, context }) => {
  const batches = watchBatches(context);
  let refused = 0;
  await context.route(`${proxy.url}/v1/batch`, async (route) => {
    if (route.request().method() === 'POST' && refused < 3) {
      refused++;
      await route.fulfill({ status: 503, headers: { 'access-control-allow-origin': '*', 'retry-after': '1' }, body: '{}' });
    } else await route.fallback();
  });
  const runId = run();
  await open(page);
  await trackMany(page, runId, 0, 20);
  await page.evaluate(() => (window as unknown as TallyWindow).tally.flush());
  await expectArrived(runId, 20);
  expect(refused).toBe(3);
  expect(batches.sent.length).toBeGreaterThanOrEqual(4);
  await expect.poll(() => page.evaluate(() => (window as unknown as TallyWindow).queued())).toBe(0);
});

test('a call made right before navigating away arrives', async ({ page, context }) => {
  const batches = watchBatches(context);
  const runId = run();
  await open(page);
  await page.evaluate((runId) => {
    (window as unknown as TallyWindow).tally.track('Cloud E2E', { run: runId, n: 0 });
    document.getElementById('away')!.click();
  }, runId);
  await page.waitForURL('**/away.html');
  await expectArrived(runId, 1);
  // Only the page-hide keepalive request can have carried it (the page was idle and the batch
  // timer had not fired); Playwright does not report a keepalive request that outlives its page,
  // so no normal request may show up here.
  expect(batches.sent).toEqual([]);
});

test('two tabs share one queue without sending any event twice', async ({ context }) => {
  const batches = watchBatches(context);
  const runId = run();
  const [a, b] = [await context.newPage(), await context.newPage()];
  await open(a);
  await open(b);
  for (let round = 0; round < 5; round++) {
    await trackMany(a, runId, round * 20, round * 20 + 10);
    await trackMany(b, runId, round * 20 + 10, round * 20 + 20);
  }
  await Promise.all([a, b].map((p) => p.evaluate(() => (window as unknown as TallyWindow).tally.flush())));
  const events = await expectArrived(runId, 100);
  expect(events.every((e) => !e.duplicates)).toBe(true);
  const ids = batches.ids();
  expect(ids).toHaveLength(100);
  expect(new Set(ids).size).toBe(100);
});

test('10,000 calls in one loop: the tab stays up and every event arrives once', async ({ page, context }) => {
  test.setTimeout(120_000);
  const batches = watchBatches(context);
  const runId = run();
  await open(page);
  await page.evaluate(() => {
    const errors: string[] = ((window as unknown as { errors: string[] }).errors = []);
    (window as unknown as { tally: { on(type: 'error', handler: (info: { error: unknown }) => void): void } }).tally.on('error', (info) =>
      errors.push(String(info.error)),
    );
  });
  await trackMany(page, runId, 0, 10_000);
  await page.evaluate(() => (window as unknown as TallyWindow).tally.flush());
  await expect.poll(() => new Set(batches.ids()).size, { timeout: 60_000 }).toBe(10_000);
  expect(batches.ids()).toHaveLength(10_000);
  await expectArrived(runId, 10_000);
  await expect.poll(() => page.evaluate(() => (window as unknown as TallyWindow).queued())).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { errors: string[] }).errors)).toEqual([]);
});
