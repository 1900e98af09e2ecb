import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { SyncError } from './errors.js';

/** What the last runs left for one key: the hash of what Mixpanel last acknowledged, and why the latest attempt failed. */
export interface KeyState {
  /** Null when Mixpanel never acknowledged a record for this key. */
  hash: string | null;
  /** Set when the latest attempt failed: the record is sent again next run, whatever its hash. */
  error: string | null;
}

/** The outcome of one acknowledged batch, written in one transaction. */
export interface BatchOutcome {
  delivered: Array<{ key: string; hash: string }>;
  failed: Array<{ key: string; reason: string }>;
  deleted: string[];
}

/** Sync state: per sync and key, the hash of the record Mixpanel last acknowledged. */
export interface SyncState {
  /** The state of many keys at once (one query: a lookup per row costs more than the mapping). */
  getMany(sync: string, keys: string[]): Map<string, KeyState>;
  /** Records a batch Mixpanel answered; called only after the answer, so a crash re-sends rather than loses. */
  commit(sync: string, outcome: BatchOutcome): void;
  /** Up to `limit` keys of a sync after `after`, in key order (paging that survives deletes). */
  keysAfter(sync: string, after: string, limit: number): string[];
  close(): void;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS records (
  sync TEXT NOT NULL,
  key TEXT NOT NULL,
  hash TEXT,
  error TEXT,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (sync, key)
) WITHOUT ROWID;
`;

// Keys per `IN (…)` list: far below SQLite's 32,766 variables, large enough to amortize a statement.
const MAX_IN = 1_000;
const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * Opens (creating) the SQLite state file. WAL with `synchronous=NORMAL`: a commit survives a
 * process crash, which is the failure a sync run must tolerate; `:memory:` for tests.
 */
export function openSyncState(path: string): SyncState {
  let db: Database.Database;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.exec(SCHEMA);
  } catch (error) {
    throw new SyncError('state_open', [`${path}: ${(error as Error).message}`]);
  }
  const lookups = new Map<number, Database.Statement<string[], KeyState & { key: string }>>();
  const lookup = (n: number) => {
    let statement = lookups.get(n);
    if (!statement) lookups.set(n, (statement = db.prepare(`SELECT key, hash, error FROM records WHERE sync = ? AND key IN (${placeholders(n)})`)));
    return statement;
  };
  const upsert = db.prepare<[string, string, string | null, string | null, number]>(
    'INSERT INTO records (sync, key, hash, error, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (sync, key) DO UPDATE SET hash = excluded.hash, error = excluded.error, updated_at = excluded.updated_at',
  );
  // A failure keeps the last acknowledged hash (the record is still in Mixpanel) and notes why.
  const markFailed = db.prepare<[string, string, string, number]>(
    'INSERT INTO records (sync, key, hash, error, updated_at) VALUES (?, ?, NULL, ?, ?) ON CONFLICT (sync, key) DO UPDATE SET error = excluded.error, updated_at = excluded.updated_at',
  );
  const remove = db.prepare<[string, string]>('DELETE FROM records WHERE sync = ? AND key = ?');
  const page = db.prepare<[string, string, number], { key: string }>('SELECT key FROM records WHERE sync = ? AND key > ? ORDER BY key LIMIT ?');
  const commit = db.transaction((sync: string, outcome: BatchOutcome) => {
    const now = Date.now();
    for (const { key, hash } of outcome.delivered) upsert.run(sync, key, hash, null, now);
    for (const { key, reason } of outcome.failed) markFailed.run(sync, key, reason, now);
    for (const key of outcome.deleted) remove.run(sync, key);
  });
  return {
    getMany: (sync, keys) => {
      const found = new Map<string, KeyState>();
      for (let i = 0; i < keys.length; i += MAX_IN) {
        const part = keys.slice(i, i + MAX_IN);
        for (const { key, hash, error } of lookup(part.length).all(sync, ...part)) found.set(key, { hash, error });
      }
      return found;
    },
    commit: (sync, outcome) => commit(sync, outcome),
    keysAfter: (sync, after, limit) => page.all(sync, after, limit).map((r) => r.key),
    close: () => db.close(),
  };
}

/** The keys seen in one run. */
export interface SeenKeys {
  /** Adds keys; for each, true when it was already seen (a duplicate row), including repeats within `keys`. */
  addMany(keys: string[]): boolean[];
  has(key: string): boolean;
  close(): void;
}

/**
 * Keys seen in this run, in an anonymous temporary SQLite database (on disk when large, deleted on
 * close), so a million keys never sit in memory. One open transaction: nothing here must survive.
 */
export function createSeenKeys(): SeenKeys {
  const db = new Database('');
  db.exec('CREATE TABLE seen (key TEXT PRIMARY KEY) WITHOUT ROWID; BEGIN');
  const has = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM seen WHERE key = ?');
  const statements = new Map<string, Database.Statement<string[]>>();
  const statement = (kind: 'find' | 'insert', n: number) => {
    let s = statements.get(`${kind}${n}`);
    if (!s) {
      const sql = kind === 'find' ? `SELECT key FROM seen WHERE key IN (${placeholders(n)})` : `INSERT INTO seen (key) VALUES ${Array.from({ length: n }, () => '(?)').join(', ')}`;
      statements.set(`${kind}${n}`, (s = db.prepare(sql)));
    }
    return s;
  };
  return {
    addMany: (keys) => {
      const duplicate: boolean[] = [];
      for (let i = 0; i < keys.length; i += MAX_IN) {
        const part = keys.slice(i, i + MAX_IN);
        const before = new Set((statement('find', part.length).all(...part) as Array<{ key: string }>).map((r) => r.key));
        const fresh = new Set<string>();
        for (const key of part) {
          const seen = before.has(key) || fresh.has(key);
          duplicate.push(seen);
          if (!seen) fresh.add(key);
        }
        if (fresh.size) statement('insert', fresh.size).run(...fresh);
      }
      return duplicate;
    },
    has: (key) => has.get(key) !== undefined,
    close: () => void db.close(),
  };
}
