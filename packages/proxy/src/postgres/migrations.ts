import type { Pool } from 'pg';

/** One schema change, applied once per schema and recorded in `tally_migrations`. */
export interface Migration {
  version: number;
  name: string;
  /** SQL run inside the migration transaction; `{schema}` is replaced by the quoted schema name. */
  sql: string;
}

/**
 * The queue's schema, in order. Never edit a released migration: add the next version instead,
 * because running proxies of the previous release may still be reading the old shape.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'queue and dead letters',
    // Identity with the default CACHE 1: ids follow nextval order across every session, so a
    // user's requests that were acknowledged one after the other get increasing ids even when they
    // land on different proxies (a cached block per session would break per-user order).
    // No index on available_at: leases and retries only touch unindexed columns, so when the new
    // row version fits on its page they are HOT updates that write no index entries. A lease copies
    // the whole ~700-byte row, so a page needs room for half its rows again: fillfactor 50 (at 90
    // only 11% of leases were HOT; at 50, all, and claims took half the time, measured).
    // The queue is a hot insert/delete table: vacuum it after 1% dead rows, not the default 20%.
    sql: `
CREATE TABLE {schema}.queue (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key text NOT NULL,
  endpoint text NOT NULL,
  region text NOT NULL,
  body text NOT NULL,
  message_id text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  enqueued_at bigint NOT NULL,
  available_at bigint NOT NULL DEFAULT 0,
  last_error text
) WITH (fillfactor = 50, autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_insert_scale_factor = 0.05);
CREATE INDEX queue_key ON {schema}.queue (key, id);
CREATE TABLE {schema}.dead_letters (
  id bigint PRIMARY KEY,
  key text NOT NULL,
  endpoint text NOT NULL,
  region text NOT NULL,
  body text NOT NULL,
  message_id text NOT NULL,
  attempts integer NOT NULL,
  enqueued_at bigint NOT NULL,
  reason text NOT NULL,
  dead_at bigint NOT NULL
);
CREATE INDEX dead_letters_dead_at ON {schema}.dead_letters (dead_at, id);`,
  },
];

// Two-key advisory lock space: a constant for "tally migrations" and a hash of the schema, so
// proxies migrating different schemas in one database do not wait for each other.
const LOCK_CLASS = 0x7a11;

/** Quotes a schema name after checking it is a plain identifier (it is spliced into SQL). */
export function quoteSchema(schema: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) throw new Error(`[tally] invalid queue schema name: ${schema}`);
  return `"${schema}"`;
}

/**
 * Creates or upgrades the queue's schema. Idempotent, and safe when several proxies start at
 * once: everything runs in one transaction behind an advisory lock, so the first process applies
 * the missing versions and the others, once it commits, find nothing left to do.
 * @returns the versions this call applied.
 */
export async function migrate(pool: Pool, schema: string, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const quoted = quoteSchema(schema);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_CLASS, schema]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${quoted}.tally_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${quoted}.tally_migrations`);
    const done = new Set(rows.map((r) => r.version));
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      await client.query(m.sql.replaceAll('{schema}', quoted));
      await client.query(`INSERT INTO ${quoted}.tally_migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
      applied.push(m.version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
