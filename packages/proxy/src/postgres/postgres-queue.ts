import pg from 'pg';
import { toRecord, type ClaimLimits, type DeadLetter, type Queue, type QueueRecord, type QueueRecordInput, type QueueRow } from '../queue.js';
import { createGroupCommit } from './group-commit.js';
import { migrate } from './migrations.js';
import { BODY_SEPARATOR, joinableBodies, statements } from './statements.js';

/** Options of the shared PostgreSQL queue. */
export interface PostgresQueueOptions {
  /** `postgres://user:password@host:5432/database` (any libpq URL `pg` accepts). */
  url: string;
  /** Schema holding the queue's tables, created and migrated at start. Default `tally`. */
  schema?: string;
  /** Connections per process (default 8: ingest commits, worker claims and acks overlap). */
  poolSize?: number;
  /** How long `size()` trusts its count before asking the database again (default 1 s). */
  sizeRefreshMs?: number;
  /** Errors of idle pooled connections (a restarted server); the pool replaces them. */
  onError?: (error: Error) => void;
}

/** A PostgreSQL queue: the {@link Queue} contract plus its start-up. */
export interface PostgresQueue extends Queue {
  /** Resolves once the schema is migrated; rejects with the reason when the database is unusable. */
  ready: Promise<void>;
}

const DEADLOCK = '40P01';

/** A queue row as `pg` returns it (`bigint` columns as strings). */
type Row = QueueRow & { id: string; enqueued_at: string };

/**
 * A durable queue in PostgreSQL that several proxy processes, on several machines, share. Each
 * enqueue resolves after its commit; claims lease records with `FOR UPDATE SKIP LOCKED`, and a
 * lease left by a dead process simply expires, so another process takes its records over.
 * @example
 * const queue = createPostgresQueue({ url: 'postgres://tally@db/tally' });
 * await queue.ready;
 */
export function createPostgresQueue(options: PostgresQueueOptions): PostgresQueue {
  const schema = options.schema ?? 'tally';
  const sql = statements(schema);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 8,
    application_name: 'tally-proxy',
    // A database that does not answer fails the call (and ingest answers 500) instead of hanging it.
    connectionTimeoutMillis: 10_000,
    // The claim's estimated cost passes jit_above_cost, and compiling it took ~0.5 s per claim
    // (measured) for a statement that runs in a few ms: these short statements never gain from JIT.
    // Statements are prepared once per connection, but planned for each call's values: a generic
    // plan for the claim cannot see how many records the limits allow.
    options: '-c jit=off -c plan_cache_mode=force_custom_plan',
  });
  // Without a listener an idle connection's error (server restart) would crash the process.
  pool.on('error', (error) => options.onError?.(error));
  // A failed migration (database down at start) is tried again by the next call, so a proxy
  // started before its database recovers without a restart.
  let migration: Promise<void> | undefined;
  const migrated = () =>
    (migration ??= migrate(pool, schema).then(
      () => undefined,
      (error: unknown) => {
        migration = undefined;
        throw error;
      },
    ));
  const ready = migrated();
  // Callers that never await `ready` see the failure on their first call instead.
  ready.catch(() => undefined);
  const refreshMs = options.sizeRefreshMs ?? 1_000;
  let closed = false;

  // Named statements are parsed once per connection instead of once per call.
  const names = new Map(Object.entries(sql).map(([name, text]) => [text, `tally_${schema}_${name}`]));
  const query = async <R extends pg.QueryResultRow>(text: string, values: unknown[]) => {
    if (closed) throw new Error('[tally] the queue is closed');
    await migrated();
    for (let attempt = 1; ; attempt++) {
      try {
        return await pool.query<R>({ name: names.get(text), text, values });
      } catch (error) {
        // A claim working from an old snapshot can lock rows another process is acknowledging at
        // that moment; PostgreSQL then cancels one of them as a deadlock. Each statement is its own
        // transaction and was rolled back, so running it again is safe.
        if ((error as { code?: string }).code !== DEADLOCK || attempt >= 3) throw error;
      }
    }
  };

  // The size is asked on every ingest request (backpressure) and every worker turn; counting a big
  // table each time would cost more than the enqueue. Keep a count that this process corrects for
  // its own changes and refreshes from the database every `refreshMs` for the other processes'.
  let size = 0;
  let countedAt = -Infinity;
  let counting: Promise<void> | undefined;
  const recount = () =>
    (counting ??= query<{ n: number }>(sql.count, [])
      .then(({ rows }) => {
        size = rows[0]!.n;
        countedAt = Date.now();
      })
      .finally(() => (counting = undefined)));

  const commit = createGroupCommit(async (records: QueueRecordInput[]) => {
    const column = (pick: (r: QueueRecordInput) => string) => records.map(pick);
    const bodies = column((r) => r.body);
    const joined = joinableBodies(bodies);
    await query(joined ? sql.enqueue : sql.enqueueBodyArray, [
      column((r) => r.endpoint),
      column((r) => r.region),
      column((r) => r.key),
      joined ? bodies.join(BODY_SEPARATOR) : bodies,
      column((r) => r.messageId),
      Date.now(),
    ]);
    size += records.length;
  });

  return {
    ready,
    async enqueue(records) {
      if (closed) throw new Error('[tally] the queue is closed');
      if (records.length > 0) await commit(records);
    },
    async claim(limits: ClaimLimits, leaseMs: number, now = Date.now()) {
      const { rows } = await query<Row>(sql.claim, [now, now + leaseMs, limits.maxRecords, limits.maxBytes]);
      // RETURNING has no order; workers and per-user order expect id order.
      return rows.map(toRecord).sort((a, b) => a.id - b.id);
    },
    async ack(ids) {
      if (ids.length === 0) return;
      const { rowCount } = await query(sql.ack, [ids]);
      size = Math.max(0, size - (rowCount ?? 0));
    },
    async retry(ids, notBefore, error) {
      if (ids.length > 0) await query(sql.retry, [ids, notBefore, error.slice(0, 1000)]);
    },
    async deadLetter(ids, reason) {
      if (ids.length === 0) return;
      const { rowCount } = await query(sql.deadLetter, [ids, reason.slice(0, 2000), Date.now()]);
      size = Math.max(0, size - (rowCount ?? 0));
    },
    async size() {
      // An unreachable database keeps the last count: enqueue fails on its own, and /metrics and
      // /healthz still answer.
      if (!closed && Date.now() - countedAt >= refreshMs) await recount().catch(() => undefined);
      return size;
    },
    async deadLetters(limit = 1000) {
      const { rows } = await query<Row & { reason: string; dead_at: string }>(sql.deadLetters, [limit]);
      return rows.map((row) => ({ ...toRecord(row), reason: row.reason, deadAt: Number(row.dead_at) }) satisfies DeadLetter);
    },
    async close() {
      if (closed) return;
      await commit.drain();
      closed = true;
      await pool.end();
    },
  };
}
