// `npm start`'s orchestrator, as a person runs it: every service on a free port, the script-tag
// example in cloud mode delivering to the emulator, the sync example's data in it, a clean stop.
// Its proxy queue lives in a temporary folder, so the test never touches `.data/`.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIRequestContext } from '@playwright/test';
import { createEmulator } from '../packages/mixpanel-emulator/src/index.js';
import { expect, test } from './fixtures.js';

const repo = fileURLToPath(new URL('..', import.meta.url));

interface Started {
  child: ChildProcessWithoutNullStreams;
  /** Everything it printed so far (stdout and stderr). */
  output: () => string;
  /** The first URL of each named row of the printed block: `emulator`, `proxy`, `examples`. */
  urls: Record<string, string>;
}

/** Spawns scripts/start.mjs with ephemeral ports and waits for its "Stop:" line. */
async function startStack(dataDir: string, env: Record<string, string | undefined> = {}): Promise<Started> {
  // A developer's real Mixpanel credentials must not switch the test to real Mixpanel.
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('MIXPANEL_') && !name.startsWith('TALLY_')));
  const child = spawn(process.execPath, ['scripts/start.mjs', '--port', '0', '--emulator-port', '0', '--proxy-port', '0', '--data-dir', dataDir], {
    cwd: repo,
    env: { ...clean, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (output += chunk));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      if (/^Stop: /m.test(output)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`start.mjs exited with ${code}:\n${output}`)));
  });
  const urls: Record<string, string> = {};
  for (const [, name, url] of output.matchAll(/^ {2}(\w+) +(http:\/\/127\.0\.0\.1:\d+)\//gm)) urls[name!] ??= url!;
  return { child, output: () => output, urls };
}

/** Sends `signal`, expects exit code 0, then that nothing answers on any of its URLs any more. */
async function stopAndExpectClosed({ child, output, urls }: Started, signal: NodeJS.Signals, request: APIRequestContext) {
  const exited = once(child, 'exit');
  child.kill(signal);
  const [code] = await exited;
  expect(code, output()).toBe(0);
  expect(output()).toContain(`${signal}: stopping`);
  for (const url of Object.values(urls)) await expect(request.get(`${url}/`), url).rejects.toThrow();
}

let dataDir: string;
let started: Started | undefined;
test.beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'tally-start-e2e-'));
});
test.afterEach(() => {
  if (started && started.child.exitCode === null && started.child.signalCode === null) started.child.kill('SIGKILL');
  started = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

test('starts emulator, proxy, examples and the sync; Buy on the script-tag site arrives in the emulator; SIGTERM stops all', async ({ page, request }) => {
  started = await startStack(join(dataDir, 'proxy'));
  const { emulator, proxy, examples } = started.urls;
  expect(Object.keys(started.urls).sort(), started.output()).toEqual(['emulator', 'examples', 'proxy']);
  const printed = started.output();
  for (const path of ['/script-tag/', '/spa/', '/device/']) expect(printed).toContain(`${examples}${path}`);
  expect(printed).toMatch(/^Open first: .*\/script-tag\/product\.html/m);
  expect(printed).toContain(`queue in ${join(dataDir, 'proxy')}`);
  expect((await request.get(`${proxy}/healthz`)).ok()).toBe(true);

  // The sync example ran once against this emulator: its profiles and groups are there.
  expect(printed).toMatch(/^total +210 /m);
  const profile = await (await request.get(`${emulator}/_emulator/profiles?distinct_id=cust-1`)).json();
  expect(profile.properties).toMatchObject({ $email: expect.stringContaining('@example.com'), company: expect.anything() });
  const group = await (await request.get(`${emulator}/_emulator/groups?group_key=company&group_id=acct-1`)).json();
  expect(group.properties).toMatchObject({ plan: expect.any(String), seats: expect.any(Number) });

  // A person opens the product page and presses Buy.
  await page.goto(`${examples}/script-tag/product.html`);
  await expect(page.getByRole('link', { name: /in Mixpanel/ })).toHaveAttribute('href', '/mixpanel');
  await page.getByRole('button', { name: 'Buy' }).click();
  await expect(page.locator('#tally-log')).toContainText('Order Completed');
  const anonymousId = await page.evaluate(() => (window as unknown as { tally: { user(): { anonymousId(): string } } }).tally.user().anonymousId());

  // Snippet → cloud bundle → /v1 on the examples server → proxy → emulator, as Mixpanel data.
  const distinctId = `$device:${anonymousId}`;
  const ours = async () => {
    const { events } = await (await request.get(`${emulator}/_emulator/events?event=Order%20Completed&distinct_id=${encodeURIComponent(distinctId)}`)).json();
    return events[0];
  };
  await expect.poll(ours, { timeout: 20_000, message: 'Order Completed in the emulator' }).toBeDefined();
  const order = await ours();
  expect(order).toMatchObject({ endpoint: 'import', event: 'Order Completed', distinctId, duplicates: 0 });
  expect(order.insertId).toEqual(expect.any(String));
  expect(order.properties).toMatchObject({ token: 'tally-dev-token', $device_id: anonymousId, revenue: 24, currency: 'USD' });
  expect(order.properties.$current_url).toBe(`${examples}/script-tag/product.html`);
  const rejections = await (await request.get(`${emulator}/_emulator/rejections`)).json();
  expect(rejections.rejections).toEqual([]);

  await page.close();
  await stopAndExpectClosed(started, 'SIGTERM', request);
});

test('exits 0 on SIGINT with every port closed', async ({ request }) => {
  started = await startStack(join(dataDir, 'proxy'));
  expect((await request.get(`${started.urls.examples}/script-tag/`)).status()).toBe(200);
  await stopAndExpectClosed(started, 'SIGINT', request);
});

test('with MIXPANEL_TOKEN and a secret it sends to that Mixpanel and starts no emulator', async ({ request }) => {
  // "Real Mixpanel" here is an emulator the test owns, reached through MIXPANEL_API_URL.
  const mixpanel = await createEmulator();
  try {
    started = await startStack(join(dataDir, 'proxy'), { MIXPANEL_TOKEN: 'tally-dev-token', MIXPANEL_API_SECRET: 'tally-dev-secret', MIXPANEL_API_URL: mixpanel.url });
    expect(started.output()).toMatch(/^ {2}mixpanel +real Mixpanel, .*the emulator is not started/m);
    expect(started.urls.emulator).toBeUndefined();
    expect(started.output()).toMatch(/^ {2}sync +skipped/m);
    const { examples } = started.urls;
    // As the page's queue posts it: to /v1 on the examples origin, with that Origin.
    const answer = await request.post(`${examples}/v1/batch`, {
      headers: { origin: examples! },
      data: { writeKey: 'demo-write-key', batch: [{ type: 'track', event: 'Real Mode', anonymousId: 'anon-real', messageId: 'real-1' }] },
    });
    expect(answer.status(), await answer.text()).toBe(200);
    await expect.poll(() => mixpanel.events({ event: 'Real Mode' }).length, { timeout: 20_000 }).toBe(1);
    await stopAndExpectClosed(started, 'SIGTERM', request);
  } finally {
    await mixpanel.close();
  }
});
