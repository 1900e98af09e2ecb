import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ClaimLimits, DeadLetter, Queue, QueueRecord, QueueRecordInput } from './queue.js';

/** Options of the embedded SQLite queue. */
export interface SqliteQueueOptions {
  /** Directory for `queue.sqlite` (created if missing); `:memory:` for a throwaway queue. */
  dataDir: string;
  /**
   * `process` (default): WAL with `synchronous=NORMAL`. A commit is in the WAL file before it
   * returns, so it survives a process crash (`kill -9`); the last commits may be lost on power
   * failure. `power`: `synchronous=FULL`, an fsync per commit, survives power loss too.
   */
  durability?: 'process' | 'power';
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS queue (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  endpoint TEXT NOT NULL,
  region TEXT NOT NULL,
  key TEXT NOT NULL,
  body TEXT NOT NULL,
  message_id TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  enqueued_at INTEGER NOT NULL,
  available_at INTEGER NOT NULL,
  leased INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
);
CREATE INDEX IF NOT EXISTS queue_key ON queue (key, id);
CREATE TABLE IF NOT EXISTS dead_letters (
  id INTEGER PRIMARY KEY,
  endpoint TEXT NOT NULL,
  region TEXT NOT NULL,
  key TEXT NOT NULL,
  body TEXT NOT NULL,
  message_id TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  enqueued_at INTEGER NOT NULL,
  reason TEXT NOT NULL,
  dead_at INTEGER NOT NULL
);`;

interface Row {
  id: number;
  endpoint: string;
  region: string;
  key: string;
  body: string;
  message_id: string;
  attempts: number;
  enqueued_at: number;
}

const toRecord = (row: Row): QueueRecord => ({
  id: row.id,
  endpoint: row.endpoint as QueueRecord['endpoint'],
  region: row.region as QueueRecord['region'],
  key: row.key,
  body: row.body,
  messageId: row.message_id,
  attempts: row.attempts,
  enqueuedAt: row.enqueued_at,
});

// A lease and a retry delay are both "not available before": one column serves both, so a
// crashed worker's lease simply expires and the row is claimable again on restart.
const CANDIDATES = `
SELECT id, endpoint, region, key, body, message_id, attempts, enqueued_at FROM queue AS q
WHERE available_at <= @now
  AND NOT EXISTS (SELECT 1 FROM queue AS e WHERE e.key = q.key AND e.id < q.id AND e.available_at > @now)
ORDER BY id LIMIT @limit`;

/**
 * The embedded durable queue: SQLite in WAL mode in `dataDir/queue.sqlite`, owned by one process
 * (a second one on the same directory fails to open it).
 */
export function createSqliteQueue(options: SqliteQueueOptions): Queue {
  const file = options.dataDir === ':memory:' ? ':memory:' : join(options.dataDir, 'queue.sqlite');
  if (file !== ':memory:') mkdirSync(options.dataDir, { recursive: true });
  // busy timeout: a restart may briefly overlap the old process's exit.
  const db = new Database(file, { timeout: 2_000 });
  try {
    // One process owns a data directory: an exclusive lock makes a second proxy on the same
    // directory fail at start instead of double-delivering, and lets start-up reclaim leases at once.
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.durability === 'power' ? 'FULL' : 'NORMAL'}`);
    db.exec(SCHEMA);
    // Leases held by a previous run (crash, kill -9) are void: deliver those records again.
    db.prepare('UPDATE queue SET available_at = 0, leased = 0 WHERE leased = 1').run();
  } catch (error) {
    db.close();
    throw new Error(`[tally] cannot open the queue in ${options.dataDir} (is another proxy using it?): ${(error as Error).message}`);
  }

  const insert = db.prepare(
    'INSERT INTO queue (endpoint, region, key, body, message_id, enqueued_at, available_at) VALUES (?, ?, ?, ?, ?, ?, 0)',
  );
  const candidates = db.prepare<{ now: number; limit: number }, Row>(CANDIDATES);
  const lease = db.prepare('UPDATE queue SET available_at = ?, leased = 1 WHERE id = ?');
  const remove = db.prepare('DELETE FROM queue WHERE id = ?');
  const release = db.prepare('UPDATE queue SET available_at = ?, leased = 0, attempts = attempts + 1, last_error = ? WHERE id = ?');
  const bury = db.prepare(`INSERT OR REPLACE INTO dead_letters
    SELECT id, endpoint, region, key, body, message_id, attempts + 1, enqueued_at, ?, ? FROM queue WHERE id = ?`);
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM queue');
  const listDead = db.prepare<[number], Row & { reason: string; dead_at: number }>(
    'SELECT * FROM dead_letters ORDER BY dead_at, id LIMIT ?',
  );
  // The size is asked on every ingest request (backpressure); keep it in memory and correct.
  let size = count.get()!.n;
  let closed = false;

  const enqueueTx = db.transaction((records: QueueRecordInput[], now: number) => {
    for (const r of records) insert.run(r.endpoint, r.region, r.key, r.body, r.messageId, now);
  });

  const claimTx = db.transaction((limits: ClaimLimits, leaseMs: number, now: number) => {
    const rows = candidates.all({ now, limit: limits.maxRecords * 2 });
    const taken: QueueRecord[] = [];
    const runOf = new Map<string, string>();
    const blocked = new Set<string>();
    let bytes = 0;
    for (const row of rows) {
      if (taken.length >= limits.maxRecords) break;
      if (blocked.has(row.key)) continue;
      const target = `${row.endpoint} ${row.region}`;
      const run = runOf.get(row.key);
      // Only one endpoint per key per claim: a later record for another endpoint waits until
      // this run is acked, so an alias still lands before the events that follow it.
      if (run !== undefined && run !== target) {
        blocked.add(row.key);
        continue;
      }
      if (taken.length > 0 && bytes + row.body.length > limits.maxBytes) {
        blocked.add(row.key);
        continue;
      }
      runOf.set(row.key, target);
      bytes += row.body.length;
      taken.push(toRecord(row));
    }
    const until = now + leaseMs;
    for (const r of taken) lease.run(until, r.id);
    return taken;
  });

  const each = (ids: number[], fn: (id: number) => number) =>
    db.transaction(() => ids.reduce((n, id) => n + fn(id), 0))();

  const guard = () => {
    if (closed) throw new Error('[tally] the queue is closed');
  };

  // Group commit: requests that finish in the same event-loop turn share one transaction (one WAL
  // commit instead of one each). Each request still resolves only after its records are committed.
  let pending: Array<{ records: QueueRecordInput[]; resolve: () => void; reject: (error: unknown) => void }> = [];
  const flush = () => {
    const group = pending;
    pending = [];
    if (group.length === 0) return;
    const now = Date.now();
    try {
      enqueueTx(group.flatMap((g) => g.records), now);
      for (const g of group) size += g.records.length;
      for (const g of group) g.resolve();
    } catch {
      // One request's failure must not fail the others: commit each on its own (atomic per request).
      for (const g of group) {
        try {
          enqueueTx(g.records, now);
          size += g.records.length;
          g.resolve();
        } catch (error) {
          g.reject(error);
        }
      }
    }
  };

  return {
    enqueue(records) {
      guard();
      return new Promise<void>((resolve, reject) => {
        if (pending.push({ records, resolve, reject }) === 1) setImmediate(flush);
      });
    },
    async claim(limits, leaseMs, now = Date.now()) {
      guard();
      return claimTx(limits, leaseMs, now);
    },
    async ack(ids) {
      guard();
      size -= each(ids, (id) => remove.run(id).changes);
    },
    async retry(ids, notBefore, error) {
      guard();
      each(ids, (id) => release.run(notBefore, error.slice(0, 1000), id).changes);
    },
    async deadLetter(ids, reason) {
      guard();
      const now = Date.now();
      size -= each(ids, (id) => {
        bury.run(reason.slice(0, 2000), now, id);
        return remove.run(id).changes;
      });
    },
    async size() {
      return size;
    },
    async deadLetters(limit = 1000) {
      guard();
      return listDead.all(limit).map((row) => ({ ...toRecord(row), reason: row.reason, deadAt: row.dead_at }) satisfies DeadLetter);
    },
    async close() {
      if (closed) return;
      flush();
      closed = true;
      db.close();
    },
  };
}
