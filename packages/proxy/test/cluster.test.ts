import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEmulator, type Emulator } from '@tally/mixpanel-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, tempDir, waitFor } from './helpers.js';

// `processes: 2` runs node:cluster, whose children start from the entry script: so this test runs
// the built CLI (as crash.test.ts does), with the workspace packages bundled in.
const proxyDir = fileURLToPath(new URL('..', import.meta.url));
const repoDir = fileURLToPath(new URL('../../..', import.meta.url));
let buildDir = '';
let emulator: Emulator;
const data = tempDir();
const children: ChildProcess[] = [];

async function buildCli(): Promise<string> {
  const out = mkdtempSync(join(proxyDir, '.cluster-build-'));
  process.env.TALLY_ONLY = 'proxy';
  const { default: configs } = (await import(join(repoDir, 'rollup.config.mjs'))) as { default: Array<{ plugins: unknown[] }> };
  const { rollup } = (await import('rollup')) as typeof import('rollup');
  const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  const npmDeps = ['better-sqlite3', 'pino', 'prom-client', 'bowser', 'pg'];
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

async function startCluster(configFile: string): Promise<{ process: ChildProcess; url: string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [join(buildDir, 'cli.js'), '--config', configFile, '--port', '0'], {
    env: { ...process.env, TALLY_DATA_DIR: data.dir, MIXPANEL_API_URL: emulator.url, TALLY_WRITE_KEYS: 'wk-cluster', TALLY_PROCESSES: '2' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`cluster did not start: ${stderr}`)), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)","processes":2/.exec(buffer);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', () => reject(new Error(`cluster exited early: ${stderr}`)));
  });
  return { process: child, url, exited };
}

/** The cluster children of a process (Linux /proc). */
const childPids = (pid: number) =>
  readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);

beforeAll(async () => {
  buildDir = await buildCli();
  emulator = await createEmulator({ faults: { delayMs: 20, errorRate: 0.1, seed: 5 } });
}, 180_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await emulator?.close();
  if (buildDir) rmSync(buildDir, { recursive: true, force: true });
  data.remove();
});

describe('two ingest processes (node:cluster) sharing one SQLite queue', () => {
  it('delivers every accepted event once, in order per user, through a child and a primary kill -9', { timeout: 150_000 }, async () => {
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
    const counters = new Map<string, number>();
    // Each user's batches are sent one after another, so their order is the order to keep.
    const sendFor = async (url: string, user: string) => {
      const n = counters.get(user) ?? 0;
      counters.set(user, n + 1);
      const batch = Array.from({ length: 10 }, (_, i) => ({
        type: 'track', event: 'Cluster Test', userId: user, messageId: `${user}-${n}-${i}`, timestamp: new Date().toISOString(), properties: { seq: n * 10 + i },
      }));
      const res = await fetch(`${url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basic('wk-cluster') }, body: JSON.stringify({ batch }) });
      if (res.status === 200) for (const m of batch) accepted.add(m.messageId);
    };
    const users = Array.from({ length: 6 }, (_, i) => `user-${i}`);
    const traffic = (url: string, rounds: number) =>
      Promise.all(users.map(async (user) => {
        for (let r = 0; r < rounds; r++) await sendFor(url, user).catch(() => undefined);
      }));

    const first = await startCluster(configFile);
    const sending = traffic(first.url, 40);
    await waitFor(() => accepted.size >= 300, 30_000, 5);
    // An ingest child dies mid-traffic: its unanswered requests fail, the primary starts another.
    const [victim] = childPids(first.process.pid!);
    process.kill(victim!, 'SIGKILL');
    await waitFor(() => accepted.size >= 900, 30_000, 5);
    emulator.setFaults({ errorRate: 1 });
    await waitFor(() => accepted.size >= 1_200, 30_000, 5);
    const orphans = childPids(first.process.pid!);
    first.process.kill('SIGKILL');
    await first.exited;
    await sending;
    // Children left without their primary finish what is in flight and leave.
    await waitFor(() => orphans.every((pid) => { try { process.kill(pid, 0); return false; } catch { return true; } }), 15_000, 50);
    emulator.setFaults({ delayMs: 20, errorRate: 0.1, seed: 6 });

    const second = await startCluster(configFile);
    await traffic(second.url, 2);
    await waitFor(() => [...accepted].every((id) => emulator.events({ event: 'Cluster Test', limit: 1_000_000 }).some((e) => e.insertId === id)), 60_000, 200);
    const stored = emulator.events({ event: 'Cluster Test', limit: 1_000_000 }).reverse();
    expect(stored.length).toBe(new Set(stored.map((e) => e.insertId)).size);
    for (const user of users) {
      const seqs = stored.filter((e) => e.distinctId === user).map((e) => e.properties['seq'] as number);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
    second.process.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
