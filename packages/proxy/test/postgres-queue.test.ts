import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS } from '../src/postgres/migrations.js';
import { createPostgresQueue, type PostgresQueue } from '../src/postgres/postgres-queue.js';
import type { Queue } from '../src/queue.js';
import { dropSchemas, PG_URL, postgresAvailable, uniqueSchema } from './postgres-env.js';
import { testQueue } from './queue-contract.js';

const available = await postgresAvailable();
const schemas = new Set<string>();
const schemaOf = new WeakMap<Queue, string>();
afterAll(() => dropSchemas(schemas));

function open(schema = uniqueSchema()): PostgresQueue {
  schemas.add(schema);
  const queue = createPostgresQueue({ url: PG_URL, schema, poolSize: 4 });
  schemaOf.set(queue, schema);
  return queue;
}

describe.skipIf(!available)('PostgreSQL queue', () => {
  // The same contract as SQLite's, plus the parts only a shared store has (a second process).
  testQueue('PostgreSQL', () => open(), { peer: (queue) => open(schemaOf.get(queue)) });

  it('migrates once when several processes start at the same time, and again finds nothing to do', async () => {
    const schema = uniqueSchema();
    schemas.add(schema);
    const pools = Array.from({ length: 4 }, () => new pg.Pool({ connectionString: PG_URL, max: 1 }));
    try {
      const applied = await Promise.all(pools.map((pool) => migrate(pool, schema)));
      expect(applied.flat().sort()).toEqual(MIGRATIONS.map((m) => m.version));
      expect(await migrate(pools[0]!, schema)).toEqual([]);
      const { rows } = await pools[0]!.query(`SELECT version, name FROM "${schema}".tally_migrations ORDER BY version`);
      expect(rows.map((r: { version: number }) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it('keeps records, attempts and retry delays across processes (a closed queue, a new one)', async () => {
    const first = open();
    await first.enqueue([
      { endpoint: 'import', region: 'eu', key: 'u', body: '{"event":"a","é":"ü"}', messageId: 'm1' },
      { endpoint: 'engage', region: 'eu', key: 'v', body: '{"$set":{}}', messageId: 'm2' },
    ]);
    const now = Date.now();
    const claimed = await first.claim({ maxRecords: 10, maxBytes: 1e6 }, 60_000, now);
    await first.retry([claimed[1]!.id], now + 30_000, '503 from Mixpanel');
    await first.close();

    const second = open(schemaOf.get(first));
    await second.ready;
    expect(await second.size()).toBe(2);
    // m1's lease (60 s) is still held by the "dead" process: another process waits for it to expire.
    expect(await second.claim({ maxRecords: 10, maxBytes: 1e6 }, 60_000, now + 30_000)).toMatchObject([{ messageId: 'm2', attempts: 1, region: 'eu', endpoint: 'engage' }]);
    const later = await second.claim({ maxRecords: 10, maxBytes: 1e6 }, 1_000, now + 60_000);
    expect(later.map((r) => [r.messageId, r.body])).toEqual([['m1', '{"event":"a","é":"ü"}']]);
    await second.close();
  });

  it('works once a database that was down at start comes up (the migration is tried again)', async () => {
    const target = new URL(PG_URL);
    const sockets = new Set<Socket>();
    // A port that refuses connections first, then forwards to the test database.
    const gate = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
    const port = (gate.address() as AddressInfo).port;
    await new Promise<void>((resolve) => gate.close(() => resolve()));
    const url = new URL(PG_URL);
    url.host = `127.0.0.1:${port}`;
    const schema = uniqueSchema();
    schemas.add(schema);
    const queue = createPostgresQueue({ url: url.toString(), schema, poolSize: 2 });
    try {
      await expect(queue.ready).rejects.toThrow();
      await new Promise<void>((resolve) => gate.listen(port, '127.0.0.1', resolve));
      await queue.enqueue([{ endpoint: 'import', region: 'us', key: 'k', body: '{}', messageId: 'late' }]);
      expect((await queue.claim({ maxRecords: 10, maxBytes: 1e6 }, 1000)).map((r) => r.messageId)).toEqual(['late']);
    } finally {
      await queue.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => gate.close(() => resolve()));
    }
  });

  it('rejects calls with the reason when the database cannot be reached, and after close', async () => {
    const queue = createPostgresQueue({ url: 'postgres://postgres@127.0.0.1:1/none', schema: 'tally_unreachable' });
    await expect(queue.ready).rejects.toThrow();
    await expect(queue.enqueue([{ endpoint: 'import', region: 'us', key: 'k', body: '{}', messageId: 'm' }])).rejects.toThrow();
    await queue.close();
    await expect(queue.claim({ maxRecords: 1, maxBytes: 1e6 }, 1000)).rejects.toThrow(/closed/);
  });
});
