import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEmulator, type Emulator } from '@tally/mixpanel-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProxyCli, cleanUp, spawnCli, spawnProxyCli, writeTestConfig, type CliChild } from './cli-child.js';
import { basic, tempDir, waitFor } from './helpers.js';

let buildDir = '';
let emulator: Emulator;
const data = tempDir();
const children: ChildProcess[] = [];

const startChild = (configFile: string): Promise<CliChild> =>
  spawnProxyCli({
    buildDir,
    args: ['--config', configFile, '--port', '0'],
    env: { TALLY_DATA_DIR: data.dir, MIXPANEL_API_URL: emulator.url, TALLY_WRITE_KEYS: 'wk-crash' },
    children,
    startTimeoutMs: 15_000,
  });

beforeAll(async () => {
  buildDir = await buildProxyCli('crash');
  emulator = await createEmulator({ faults: { delayMs: 40, errorRate: 0.1, seed: 3 } });
}, 180_000);

afterAll(async () => {
  await cleanUp({ children, emulator, buildDir, data });
});

describe('crash safety (kill -9 of the built proxy)', () => {
  it('delivers every accepted event after a kill -9 and restart, none twice', { timeout: 120_000 }, async () => {
    const configFile = join(data.dir, 'config.json');
    writeTestConfig(configFile);
    const accepted = new Set<string>();
    let sent = 0;
    const sendBatch = async (url: string) => {
      const n = sent++;
      const batch = Array.from({ length: 20 }, (_, i) => ({
        type: 'track',
        event: 'Crash Test',
        userId: `user-${(n + i) % 9}`,
        messageId: `crash-${n}-${i}`,
        timestamp: new Date().toISOString(),
        properties: { n, i },
      }));
      const res = await fetch(`${url}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: basic('wk-crash') },
        body: JSON.stringify({ batch }),
      });
      if (res.status === 200) for (const m of batch) accepted.add(m.messageId);
    };

    const first = await startChild(configFile);
    // Keep sending until the first proxy dies under us; it is killed while requests and deliveries are in flight.
    const sending = (async () => {
      for (let i = 0; i < 200; i++) {
        try {
          await Promise.all([sendBatch(first.url), sendBatch(first.url)]);
        } catch {
          return;
        }
      }
    })();
    await waitFor(() => accepted.size >= 200, 30_000, 5);
    // Mixpanel goes down, so the queue surely holds undelivered events when the proxy dies.
    emulator.setFaults({ errorRate: 1 });
    await waitFor(() => accepted.size >= 400, 30_000, 5);
    first.process.kill('SIGKILL');
    await first.exited;
    await sending;
    const beforeRestart = accepted.size;
    const deliveredBeforeRestart = emulator.events({ event: 'Crash Test', limit: 1_000_000 }).length;
    expect(deliveredBeforeRestart).toBeLessThan(beforeRestart);
    emulator.setFaults({ delayMs: 40, errorRate: 0.1, seed: 4 });
    expect(beforeRestart).toBeGreaterThan(0);

    const second = await startChild(configFile);
    for (let i = 0; i < 5; i++) await sendBatch(second.url);
    await waitFor(
      async () => {
        const health = (await (await fetch(`${second.url}/healthz`)).json()) as { queued: number };
        return health.queued === 0;
      },
      60_000,
      100,
    );
    const stored = emulator.events({ event: 'Crash Test', limit: 1_000_000 }).map((e) => e.insertId!);
    const missing = [...accepted].filter((id) => !stored.includes(id));
    expect(missing).toEqual([]);
    expect(stored.length).toBe(new Set(stored).size);

    second.process.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('refuses to start with an invalid configuration, naming each field', async () => {
    const configFile = join(data.dir, 'bad.json');
    writeFileSync(configFile, JSON.stringify({ mixpanel: { token: '', region: 'mars' }, trustedProxies: ['nope'] }));
    const child = spawnCli({ buildDir, args: ['--config', configFile], env: { TALLY_WRITE_KEYS: '', TALLY_DATA_DIR: data.dir }, children });
    const code = await child.exited;
    const stderr = child.stderr();
    expect(code).toBe(1);
    expect(stderr).toContain('[tally] invalid proxy configuration');
    for (const field of ['writeKeys (TALLY_WRITE_KEYS)', 'trustedProxies', 'mixpanel.token', 'mixpanel.region']) expect(stderr).toContain(field);
  });
});
