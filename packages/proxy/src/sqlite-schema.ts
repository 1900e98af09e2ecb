import { toRecord, type QueueRow } from './queue.js';

// The SQLite queue's tables and its claim query (sqlite-queue.ts).
/** The queue and dead-letter tables (created if missing). */
export const SCHEMA = `
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

/** A queue row as SQLite returns it. */
/** A queue row as better-sqlite3 returns it. */
export type Row = QueueRow & { id: number; enqueued_at: number };

export { toRecord };

// A lease and a retry delay are both "not available before": one column serves both, so a
// crashed worker's lease simply expires and the row is claimable again on restart.
export const CANDIDATES = `
SELECT id, endpoint, region, key, body, message_id, attempts, enqueued_at FROM queue AS q
WHERE available_at <= @now
  AND NOT EXISTS (SELECT 1 FROM queue AS e WHERE e.key = q.key AND e.id < q.id AND e.available_at > @now)
ORDER BY id LIMIT @limit`;
