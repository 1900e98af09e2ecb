import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEmulator, type Emulator } from '@tally/mixpanel-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProxyCli, cleanUp, spawnProxyCli, writeTestConfig, type CliChild } from './cli-child.js';
import { basic, tempDir, waitFor } from './helpers.js';

// `processes: 2` runs node:cluster, whose children start from the entry script: so this test runs
// the built CLI (as crash.test.ts does), with the workspace packages bundled in.
let buildDir = '';
let emulator: Emulator;
const data = tempDir();
const children: ChildProcess[] = [];

const startCluster = (configFile: string): Promise<CliChild> =>
  spawnProxyCli({
    buildDir,
    args: ['--config', configFile, '--port', '0'],
    env: { TALLY_DATA_DIR: data.dir, MIXPANEL_API_URL: emulator.url, TALLY_WRITE_KEYS: 'wk-cluster', TALLY_PROCESSES: '2' },
    children,
    label: 'cluster',
    startTimeoutMs: 20_000,
    // The primary prints its URL once every process listens.
    urlPattern: /"url":"(http:\/\/[^"]+)","processes":2/,
  });

/** The cluster children of a process (Linux /proc). */
const childPids = (pid: number) =>
  readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);

beforeAll(async () => {
  buildDir = await buildProxyCli('cluster');
  emulator = await createEmulator({ faults: { delayMs: 20, errorRate: 0.1, seed: 5 } });
}, 180_000);

afterAll(async () => {
  await cleanUp({ children, emulator, buildDir, data });
});

describe('two ingest processes (node:cluster) sharing one SQLite queue', () => {
  it('delivers every accepted event once, in order per user, through a child and a primary kill -9', { timeout: 150_000 }, async () => {
    const configFile = join(data.dir, 'config.json');
    writeTestConfig(configFile);
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
