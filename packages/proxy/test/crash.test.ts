import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEmulator, type Emulator } from '@tally/mixpanel-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, tempDir, waitFor } from './helpers.js';

const proxyDir = fileURLToPath(new URL('..', import.meta.url));
const repoDir = fileURLToPath(new URL('../../..', import.meta.url));
let buildDir = '';
let emulator: Emulator;
const data = tempDir();
const children: ChildProcess[] = [];

/**
 * Builds `src/cli.ts` with the repository's rollup config, but with the workspace packages bundled
 * in (their own dist folders may not be built), into a throwaway folder inside this package so
 * the npm dependencies resolve.
 */
async function buildCli(): Promise<string> {
  const out = mkdtempSync(join(proxyDir, '.crash-build-'));
  process.env.TALLY_ONLY = 'proxy';
  const configPath = join(repoDir, 'rollup.config.mjs');
  const { default: configs } = (await import(configPath)) as { default: Array<{ input: unknown; plugins: unknown[] }> };
  const { rollup } = (await import('rollup')) as typeof import('rollup');
  const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  const npmDeps = ['better-sqlite3', 'pino', 'prom-client', 'bowser'];
  const bundle = await rollup({
    input: { cli: join(proxyDir, 'src/cli.ts') },
    plugins: configs[0]!.plugins as never,
    external: (id) => builtins.has(id) || npmDeps.some((d) => id === d || id.startsWith(`${d}/`)),
    onwarn: () => undefined,
  });
  await bundle.write({ dir: out, format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' });
  await bundle.close();
  return out;
}

interface Child {
  process: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

async function startChild(configFile: string): Promise<Child> {
  const child = spawn(process.execPath, [join(buildDir, 'cli.js'), '--config', configFile, '--port', '0'], {
    env: { ...process.env, TALLY_DATA_DIR: data.dir, MIXPANEL_API_URL: emulator.url, TALLY_WRITE_KEYS: 'wk-crash' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`proxy did not start: ${stderr}`)), 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(buffer);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', () => reject(new Error(`proxy exited early: ${stderr}`)));
  });
  return { process: child, url, exited };
}

beforeAll(async () => {
  buildDir = await buildCli();
  emulator = await createEmulator({ faults: { delayMs: 40, errorRate: 0.1, seed: 3 } });
}, 180_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await emulator?.close();
  if (buildDir) rmSync(buildDir, { recursive: true, force: true });
  data.remove();
});

describe('crash safety (kill -9 of the built proxy)', () => {
  it('delivers every accepted event after a kill -9 and restart, none twice', { timeout: 120_000 }, async () => {
    const configFile = join(data.dir, 'config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        mixpanel: { token: 'tally-dev-token', apiSecret: 'tally-dev-secret' },
        host: '127.0.0.1',
        rateLimit: false,
        mixpanelJs: false,
        logLevel: 'info',
        delivery: { batchWaitMs: 20, pollMs: 50, leaseMs: 2_000, backoff: { baseMs: 50, maxMs: 500 } },
      }),
    );
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
    const child = spawn(process.execPath, [join(buildDir, 'cli.js'), '--config', configFile], {
      env: { ...process.env, TALLY_WRITE_KEYS: '', TALLY_DATA_DIR: data.dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('[tally] invalid proxy configuration');
    for (const field of ['writeKeys (TALLY_WRITE_KEYS)', 'trustedProxies', 'mixpanel.token', 'mixpanel.region']) expect(stderr).toContain(field);
  });
});
