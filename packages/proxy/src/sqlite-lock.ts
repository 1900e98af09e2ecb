import { join } from 'node:path';
import Database from 'better-sqlite3';

/** The data directory's owner lock; `release()` frees it (so does the process's exit, even `kill -9`). */
export interface DirectoryLock {
  release(): void;
}

/**
 * Takes the exclusive lock of a data directory: an SQLite file `owner.lock` written once in
 * `locking_mode = EXCLUSIVE`, which keeps its exclusive file lock until the connection closes.
 * The queue file itself is then opened in normal locking mode, so the owner's delivery thread and
 * cluster children can share it (WAL, busy timeout), while a second proxy on the same directory
 * still fails at start. Throws when another process (or connection) holds the lock.
 */
export function lockDirectory(dataDir: string, timeoutMs: number): DirectoryLock {
  const db = new Database(join(dataDir, 'owner.lock'), { timeout: timeoutMs });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS owner (pid INTEGER, since INTEGER); DELETE FROM owner;');
    db.prepare('INSERT INTO owner VALUES (?, ?)').run(process.pid, Date.now());
  } catch (error) {
    db.close();
    throw error;
  }
  return { release: () => db.close() };
}
