import Database from 'better-sqlite3';
import pg from 'pg';
import { join } from 'node:path';

/** A database for one test: SQL to set it up and change it, the source URL, and cleanup. */
export interface DbFixture {
  url: string;
  /** A table name for this test (schema-qualified on PostgreSQL). */
  table(name: string): string;
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** Runs a test's statements on SQLite and PostgreSQL alike (standard SQL only). */
export type FixtureFactory = () => Promise<DbFixture>;

/** A SQLite file in `dir`. */
export function sqliteFixture(dir: string): FixtureFactory {
  let n = 0;
  return async () => {
    const path = join(dir, `source-${++n}.db`);
    const db = new Database(path);
    return {
      url: `sqlite:${path}`,
      table: (name) => name,
      exec: async (sql) => void db.exec(sql),
      close: async () => void db.close(),
    };
  };
}

/** The PostgreSQL tests' server: `TALLY_TEST_PG_URL`, default the local test database. */
export const PG_URL = process.env.TALLY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/tally_test';

/** Whether PostgreSQL answers, with the reason when not. */
export async function probePostgres(): Promise<{ ok: boolean; reason: string }> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { ok: true, reason: '' };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A schema of its own per fixture, dropped (with its tables) on close. */
export function postgresFixture(): FixtureFactory {
  return async () => {
    const schema = `tally_sync_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    const client = new pg.Client({ connectionString: PG_URL });
    client.on('error', () => undefined);
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
    return {
      url: PG_URL,
      table: (name) => `${schema}.${name}`,
      exec: async (sql) => void (await client.query(sql)),
      close: async () => {
        await client.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
        await client.end();
      },
    };
  };
}
