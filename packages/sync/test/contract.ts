import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '@tally/mixpanel-emulator';
import { runSync, SyncError, type SyncConfig } from '@tally/sync';
import type { DbFixture, FixtureFactory } from './fixtures.js';
import { instantRetries, tempDir, testConfig } from './helpers.js';

const HOUR = 3600;
const nowS = () => Math.floor(Date.now() / 1000);

/** Rows 1…n of a generated series, in SQL both SQLite and PostgreSQL run. */
const series = (n: number) => `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${n})`;

/**
 * The behaviour every source must show, against the Mixpanel emulator: mapping of each object,
 * change detection, deletes, Mixpanel's refusals, retries, crash recovery.
 */
export function syncContract(label: string, makeFixture: FixtureFactory): void {
  describe(`tally sync from ${label}`, () => {
    let db: DbFixture;
    let emu: Emulator;
    let temp: ReturnType<typeof tempDir>;
    const t = (name: string) => db.table(name);
    const config = (syncs: unknown[]): SyncConfig => testConfig(db.url, `${temp.dir}/state.sqlite`, emu.url, syncs);

    const users = () => ({
      name: 'users', object: 'user', query: `SELECT * FROM ${t('users')} ORDER BY id`, distinctId: 'id',
      set: { email: 'email', firstName: 'first_name', plan: 'plan' }, setOnce: { created: 'signed_up' }, deletes: true,
    });
    const orders = (extra: Record<string, unknown> = {}) => ({
      name: 'orders', object: 'event', query: `SELECT * FROM ${t('orders')}`, event: 'Order Completed', time: 'placed_at',
      distinctId: 'customer_id', key: 'id', properties: { order_id: 'id', revenue: 'total' }, ...extra,
    });
    const seedUsers = () => db.exec(`
      CREATE TABLE ${t('users')} (id TEXT PRIMARY KEY, email TEXT, first_name TEXT, plan TEXT, signed_up TEXT);
      INSERT INTO ${t('users')} VALUES ('u1', 'ada@example.com', 'Ada', 'pro', '2026-01-02T03:04:05Z'),
        ('u2', 'grace@example.com', 'Grace', 'free', '2026-02-03T04:05:06Z'), ('u3', 'alan@example.com', 'Alan', NULL, NULL);`);
    const seedOrders = (n: number, placedAt: number) => db.exec(`
      CREATE TABLE ${t('orders')} (id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, total DOUBLE PRECISION NOT NULL, placed_at INTEGER NOT NULL);
      INSERT INTO ${t('orders')} (id, customer_id, total, placed_at) ${series(n)} SELECT 'o' || i, 'c' || (i % 97), i * 1.5, ${placedAt} + i FROM s;`);

    beforeEach(async () => {
      temp = tempDir();
      db = await makeFixture();
      emu = await createEmulator();
    });
    afterEach(async () => {
      await emu.close();
      await db.close();
      temp.remove();
    });

    it('maps user profiles: reserved names, $set_once, nulls left out, $ignore_time, no geolocation', async () => {
      await seedUsers();
      const report = await runSync(config([users()]));
      expect(report).toMatchObject({ ok: true, read: 3, inserted: 3, failed: 0 });
      const ada = emu.profileOf('u1')!;
      expect({ ...ada.properties }).toEqual({ $email: 'ada@example.com', $first_name: 'Ada', plan: 'pro', $created: '2026-01-02T03:04:05Z' });
      expect(ada.lastSeen).toBeUndefined();
      expect(ada.ip).toBeUndefined();
      expect({ ...emu.profileOf('u3')!.properties }).toEqual({ $email: 'alan@example.com', $first_name: 'Alan' });
    });

    it('maps group profiles by group key and id', async () => {
      await db.exec(`CREATE TABLE ${t('accounts')} (id INTEGER PRIMARY KEY, name TEXT, seats INTEGER);
        INSERT INTO ${t('accounts')} VALUES (1, 'Acme', 10), (2, 'Globex', NULL);`);
      const sync = { name: 'accounts', object: 'group', query: `SELECT * FROM ${t('accounts')}`, groupKey: 'company', groupId: 'id', set: { $name: 'name', seats: 'seats' } };
      expect(await runSync(config([sync]))).toMatchObject({ ok: true, inserted: 2 });
      expect({ ...emu.groupOf('company', '1')!.properties }).toEqual({ $name: 'Acme', seats: 10 });
      expect({ ...emu.groupOf('company', '2')!.properties }).toEqual({ $name: 'Globex' });
    });

    it('maps events with a deterministic $insert_id from the key, time in seconds, properties', async () => {
      const placed = nowS() - 48 * HOUR;
      await seedOrders(5, placed);
      expect(await runSync(config([orders()]))).toMatchObject({ ok: true, read: 5, inserted: 5 });
      const [event] = emu.events({ distinctIds: ['c1'] });
      expect(event).toMatchObject({ endpoint: 'import', event: 'Order Completed', time: placed + 1, properties: { order_id: 'o1', revenue: 1.5, mp_lib: 'tally-sync' } });
      expect(event!.insertId).toMatch(/^[0-9a-f-]{36}$/);
      // Same row, same id: a state-less rerun is absorbed by Mixpanel's dedupe.
      await runSync({ ...config([orders()]), state: `${temp.dir}/other.sqlite` });
      expect(emu.stats().events).toMatchObject({ stored: 5, deduplicated: 5 });
    });

    it('a second run sends nothing; changing one row sends one update; a null column is $unset', async () => {
      await seedUsers();
      await runSync(config([users()]));
      const requests = { ...emu.stats().requests };
      expect(await runSync(config([users()]))).toMatchObject({ unchanged: 3, inserted: 0, updated: 0, deleted: 0 });
      expect(emu.stats().requests).toEqual(requests);
      await db.exec(`UPDATE ${t('users')} SET plan = NULL WHERE id = 'u1'`);
      const report = await runSync(config([users()]));
      expect(report).toMatchObject({ unchanged: 2, updated: 1 });
      expect(report.syncs[0]!.requests).toBe(1);
      expect(emu.profileOf('u1')!.properties.plan).toBeUndefined();
      expect(emu.profileOf('u1')!.properties.$email).toBe('ada@example.com');
    });

    it('with deletes on, a row that disappeared becomes one $delete', async () => {
      await seedUsers();
      await runSync(config([users()]));
      await db.exec(`DELETE FROM ${t('users')} WHERE id = 'u2'`);
      const report = await runSync(config([users()]));
      expect(report).toMatchObject({ unchanged: 2, deleted: 1, failed: 0 });
      expect(report.syncs[0]!.requests).toBe(1);
      expect(emu.profileOf('u2')).toBeUndefined();
      expect(await runSync(config([users()]))).toMatchObject({ unchanged: 2, deleted: 0 });
    });

    it('a row Mixpanel refuses fails alone with its reason, the rest arrive, and it is retried next run', async () => {
      await emu.close();
      // Mixpanel's clock 10 hours behind ours: an event stamped "now" is 10 hours in its future.
      emu = await createEmulator({ now: () => Date.now() - 10 * HOUR * 1000 });
      await seedOrders(4, nowS() - 20 * HOUR);
      await db.exec(`INSERT INTO ${t('orders')} VALUES ('bad', 'c1', 1, ${nowS()})`);
      const report = await runSync(config([orders()]));
      expect(report).toMatchObject({ ok: false, inserted: 4, failed: 1 });
      expect(report.syncs[0]!.failures).toEqual([{ key: '["bad"]', reason: expect.stringContaining('properties.time') }]);
      expect(emu.stats().events.stored).toBe(4);
      const again = await runSync(config([orders()]));
      expect(again).toMatchObject({ unchanged: 4, failed: 1 });
      expect(again.syncs[0]!.requests).toBe(1);
    });

    it('retries 429 (honouring Retry-After), 5xx and dropped connections until every record arrives', async () => {
      await seedOrders(3_000, nowS() - 48 * HOUR);
      emu.setFaults({ rateLimitRate: 0.3, retryAfterSeconds: 2, errorRate: 0.3, dropRate: 0.1, seed: 7 });
      const delays: number[] = [];
      const report = await runSync(config([orders()]), { deliver: instantRetries(delays) });
      expect(report).toMatchObject({ ok: true, inserted: 3_000, failed: 0 });
      expect(report.syncs[0]!.requests).toBeGreaterThan(2);
      expect(delays.some((ms) => ms >= 2_000)).toBe(true);
      expect(emu.stats().events.stored).toBe(3_000);
    });

    it('a crash after Mixpanel acknowledged a batch loses nothing and, after dedupe, delivers every record once', async () => {
      await seedOrders(5_000, nowS() - 48 * HOUR);
      const crash = new Error('simulated crash');
      const crashAt = (batch: number) => {
        if (batch === 2) throw crash;
      };
      await expect(runSync(config([orders()]), { concurrency: 1, beforeCommit: crashAt })).rejects.toBe(crash);
      expect(emu.stats().events.stored).toBe(4_000);
      const rerun = await runSync(config([orders()]));
      // Batch 1 was committed; batch 2 was delivered but not committed, so it is sent again.
      expect(rerun).toMatchObject({ ok: true, unchanged: 2_000, inserted: 3_000 });
      expect(emu.stats().events).toMatchObject({ stored: 5_000, deduplicated: 2_000 });
      expect(new Set(emu.events({ limit: 10_000 }).map((e) => e.insertId)).size).toBe(5_000);
    });

    it('--dry-run shows mapped records and counts, sends nothing and keeps no state', async () => {
      await seedUsers();
      const dry = await runSync(config([users()]), { dryRun: true, previewCount: 1 });
      expect(dry).toMatchObject({ dryRun: true, inserted: 3 });
      expect(dry.syncs[0]!.preview![0]).toMatchObject({ $token: 'tally-dev-token', $distinct_id: 'u1', $ignore_time: true, $set: { $email: 'ada@example.com' } });
      expect(emu.stats().requests).toEqual({});
      expect(await runSync(config([users()]))).toMatchObject({ inserted: 3 });
      expect(await runSync(config([users()]), { full: true })).toMatchObject({ updated: 3, unchanged: 0 });
    });

    it('names the config field of a missing column, and reports a failing query', async () => {
      await seedUsers();
      const bad = { ...users(), set: { email: 'mail' } };
      const error = await runSync(config([bad])).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SyncError);
      expect(error).toMatchObject({ code: 'column_missing', message: expect.stringContaining('users.set.email: column "mail"') });
      await expect(runSync(config([{ ...users(), query: `SELECT * FROM ${t('nope')}` }]))).rejects.toMatchObject({ code: 'source_query' });
    });
  });
}
