import type { Queue } from './queue.js';

/** What a delivery thread needs to share an owner's on-disk queue. */
export interface SqliteShare {
  dataDir: string;
  durability: 'process' | 'power';
  /** Counts records another connection removed, so the owner's `size()` stays exact. */
  removed(count: number): void;
  /** Voids every lease (the only claimer, a delivery thread, died): deliver those records again. */
  reclaimLeases(): void;
  /** Leaves WAL checkpoints to the connection that delivers (its commits are the fewer, larger ones). */
  deferCheckpoints(): void;
}

/** Owner queues on disk, by queue: sqlite-queue.ts registers them. */
export const shares = new WeakMap<Queue, SqliteShare>();

/** The share handle of an on-disk owner SQLite queue; undefined for any other queue. */
export function sqliteShare(queue: Queue): SqliteShare | undefined {
  return shares.get(queue);
}
