import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { runSync } from '@tally/sync';
import { tempDir, testConfig } from './helpers.js';

/**
 * /engage answers a whole request: one refused update makes `{"status":0,"error":…}` for all.
 * A stand-in for Mixpanel that refuses any request holding the profile `u-bad` shows that the
 * sender's bisection isolates it, so only that record fails, with Mixpanel's words.
 */
function engageRefusing(bad: string, log: number[]): typeof fetch {
  return async (_url, init) => {
    const updates = JSON.parse(String(init?.body)) as Array<{ $distinct_id: string }>;
    log.push(updates.length);
    const refused = updates.some((u) => u.$distinct_id === bad);
    const body = refused ? { status: 0, error: `'$distinct_id' ${bad} is not allowed here` } : { status: 1, error: null };
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  };
}

describe('a profile update Mixpanel refuses', () => {
  let temp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    temp = tempDir();
    const db = new Database(`${temp.dir}/app.db`);
    db.exec(`CREATE TABLE users (id TEXT PRIMARY KEY, plan TEXT);
      INSERT INTO users WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 100) SELECT 'u-' || i, 'pro' FROM s;
      INSERT INTO users VALUES ('u-bad', 'free');`);
    db.close();
  });
  afterEach(() => temp.remove());

  it('fails alone with the reason, the rest are acknowledged, and it alone is sent again next run', async () => {
    const sync = { name: 'users', object: 'user', query: 'SELECT * FROM users ORDER BY id', distinctId: 'id', set: { plan: 'plan' } };
    const config = testConfig(`sqlite:${temp.dir}/app.db`, `${temp.dir}/state.sqlite`, 'http://mixpanel.test', [sync]);
    const sizes: number[] = [];
    const report = await runSync(config, { fetch: engageRefusing('u-bad', sizes) });
    expect(report).toMatchObject({ ok: false, read: 101, inserted: 100, failed: 1 });
    expect(report.syncs[0]!.failures).toEqual([{ key: 'u-bad', reason: "200: '$distinct_id' u-bad is not allowed here" }]);
    expect(sizes[0]).toBe(101);
    const retry: number[] = [];
    expect(await runSync(config, { fetch: engageRefusing('nobody', retry) })).toMatchObject({ ok: true, unchanged: 100, inserted: 1 });
    expect(retry).toEqual([1]);
  });
});
