import Database from 'better-sqlite3';
import type { Row, Source } from './source.js';

/**
 * A read-only SQLite source. better-sqlite3's `.iterate()` steps the statement one row at a
 * time, so a large table is streamed, not loaded.
 */
export function createSqliteSource(path: string): Source {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  // Another process (the app) may be writing; wait for its lock instead of failing at once.
  db.pragma('busy_timeout = 5000');
  return {
    description: `sqlite:${path}`,
    async *query(sql: string): AsyncIterable<Row> {
      // Iterating holds the statement open; `return` from a for-await loop calls the iterator's
      // return(), which finalizes it.
      for (const row of db.prepare(sql).iterate()) yield row as Row;
    },
    async close() {
      db.close();
    },
  };
}
