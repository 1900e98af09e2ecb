import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteQueue } from '../src/sqlite-queue.js';
import { tempDir } from './helpers.js';
import { testQueue } from './queue-contract.js';

testQueue('SQLite in memory', () => createSqliteQueue({ dataDir: ':memory:' }));

const temp = tempDir();
afterAll(() => temp.remove());
let n = 0;
testQueue('SQLite on disk', () => createSqliteQueue({ dataDir: `${temp.dir}/q${n++}`, durability: 'power' }));

describe('SQLite queue persistence', () => {
  it('keeps records after a reopen and reclaims the dead run\'s leases at once, keeping retry delays', async () => {
    const dir = `${temp.dir}/reopen`;
    const first = createSqliteQueue({ dataDir: dir });
    await first.enqueue([
      { endpoint: 'import', region: 'eu', key: 'u', body: '{"event":"a"}', messageId: 'm1' },
      { endpoint: 'import', region: 'eu', key: 'u', body: '{"event":"b"}', messageId: 'm2' },
    ]);
    await first.enqueue([{ endpoint: 'import', region: 'eu', key: 'v', body: '{"event":"c"}', messageId: 'm3' }]);
    const now = Date.now();
    const claimed = await first.claim({ maxRecords: 10, maxBytes: 1e6 }, 60_000, now);
    await first.retry([claimed[2]!.id], now + 60_000, '503');
    await first.close();

    const second = createSqliteQueue({ dataDir: dir });
    expect(await second.size()).toBe(3);
    const reclaimed = await second.claim({ maxRecords: 10, maxBytes: 1e6 }, 60_000, now + 1_000);
    expect(reclaimed.map((r) => [r.messageId, r.region, r.body])).toEqual([
      ['m1', 'eu', '{"event":"a"}'],
      ['m2', 'eu', '{"event":"b"}'],
    ]);
    expect((await second.claim({ maxRecords: 10, maxBytes: 1e6 }, 60_000, now + 60_000)).map((r) => r.messageId)).toEqual(['m3']);
    await second.close();
  });

  it('refuses a second owner of the same data directory', async () => {
    const dir = `${temp.dir}/owned`;
    const owner = createSqliteQueue({ dataDir: dir });
    await owner.enqueue([{ endpoint: 'import', region: 'us', key: 'k', body: '{}', messageId: 'm' }]);
    expect(() => createSqliteQueue({ dataDir: dir })).toThrow(/another proxy/);
    await owner.close();
  });
});
