import type { ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createEmulator, type Emulator } from '@tally/mixpanel-emulator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProxyCli, cleanUp, spawnProxyCli, writeTestConfig, type CliChild } from './cli-child.js';
import { basic, tempDir, waitFor } from './helpers.js';
import { dropSchemas, PG_URL, postgresAvailable, uniqueSchema } from './postgres-env.js';

const available = await postgresAvailable();
const schema = uniqueSchema('tally_multi');
const data = tempDir();
const children: ChildProcess[] = [];
let buildDir = '';
let emulator: Emulator | undefined;

const startChild = (configFile: string): Promise<CliChild> =>
  spawnProxyCli({
    buildDir,
    args: ['--config', configFile, '--port', '0'],
    // All three share one data directory: with the PostgreSQL queue none of them may lock it.
    env: { TALLY_DATA_DIR: join(data.dir, 'shared'), TALLY_QUEUE_URL: PG_URL, TALLY_QUEUE_SCHEMA: schema, MIXPANEL_API_URL: emulator!.url, TALLY_WRITE_KEYS: 'wk-multi' },
    children,
    startTimeoutMs: 20_000,
  });

beforeAll(async () => {
  if (!available) return;
  buildDir = await buildProxyCli('multi');
  emulator = await createEmulator({ faults: { delayMs: 30, errorRate: 0.1, seed: 11 } });
}, 180_000);

afterAll(async () => {
  await cleanUp({ children, emulator, buildDir, data, waitForExit: true });
  if (available) await dropSchemas([schema]);
});

const USERS = 12;
const ROUNDS = 30;
const PER_REQUEST = 5;

describe.skipIf(!available)('three proxy processes on one PostgreSQL queue', () => {
  it('delivers every accepted event once, in order per user, when one is killed with kill -9', { timeout: 150_000 }, async () => {
    const configFile = join(data.dir, 'config.json');
    writeTestConfig(configFile);
    // Started together, so they also race to migrate the schema.
    const proxies = await Promise.all([0, 1, 2].map(() => startChild(configFile)));
    const dead = new Set<number>();
    const accepted = new Set<string>();

    // Each user sends its events one request after the other (the next only after a 200), each
    // request to another proxy; a failed request is sent again, unchanged, to the next live one.
    async function user(u: number): Promise<void> {
      for (let round = 0; round < ROUNDS; round++) {
        const batch = Array.from({ length: PER_REQUEST }, (_, i) => ({
          type: 'track',
          event: 'Multi Test',
          userId: `multi-user-${u}`,
          messageId: `multi-${u}-${round * PER_REQUEST + i}`,
          timestamp: new Date().toISOString(),
          properties: { user: u, seq: round * PER_REQUEST + i },
        }));
        let sent = false;
        for (let attempt = 0; attempt < 12 && !sent; attempt++) {
          const target = (u + round + attempt) % proxies.length;
          if (dead.has(target)) continue;
          try {
            const res = await fetch(`${proxies[target]!.url}/v1/batch`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: basic('wk-multi') },
              body: JSON.stringify({ batch }),
            });
            sent = res.status === 200;
          } catch {
            // The killed proxy: its socket is gone; try the next one.
          }
        }
        if (!sent) throw new Error(`user ${u}: round ${round} was refused by every proxy`);
        for (const m of batch) accepted.add(m.messageId);
      }
    }
    const sending = Promise.all(Array.from({ length: USERS }, (_, u) => user(u)));
    await waitFor(() => accepted.size >= (USERS * ROUNDS * PER_REQUEST) / 3, 60_000, 5);
    // Mixpanel slows down so every process has leased records in flight, then one is killed
    // mid-stream: its requests, commits and leases are cut off.
    emulator!.setFaults({ delayMs: 400, errorRate: 0.1, seed: 12 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    dead.add(0);
    proxies[0]!.process.kill('SIGKILL');
    await proxies[0]!.exited;
    emulator!.setFaults({ delayMs: 30, errorRate: 0.1, seed: 13 });
    await sending;
    expect(accepted.size).toBe(USERS * ROUNDS * PER_REQUEST);

    const db = new pg.Client({ connectionString: PG_URL });
    await db.connect();
    try {
      // The dead process's leases expire (2 s) and the two others deliver its records.
      await waitFor(async () => (await db.query(`SELECT count(*)::int AS n FROM "${schema}".queue`)).rows[0].n === 0, 90_000, 200);
      expect((await db.query(`SELECT count(*)::int AS n FROM "${schema}".dead_letters`)).rows[0].n).toBe(0);
    } finally {
      await db.end();
    }

    const stored = emulator!.events({ event: 'Multi Test', limit: 1_000_000 });
    const ids = stored.map((e) => e.insertId!);
    expect([...accepted].filter((id) => !ids.includes(id))).toEqual([]);
    expect(ids.length).toBe(new Set(ids).size);
    // Per-user order: in the order Mixpanel stored them, each user's sequence numbers only grow.
    const byUser = new Map<number, number[]>();
    for (const e of [...stored].sort((a, b) => a.seq - b.seq)) {
      const list = byUser.get(e.properties.user as number) ?? [];
      list.push(e.properties.seq as number);
      byUser.set(e.properties.user as number, list);
    }
    for (const [, seqs] of byUser) expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    // No process created or locked a SQLite queue in the shared data directory.
    expect(readdirSync(data.dir)).not.toContain('shared');

    for (const p of proxies.slice(1)) p.process.kill('SIGTERM');
    expect(await Promise.all(proxies.slice(1).map((p) => p.exited))).toEqual([0, 0]);
  });
});
