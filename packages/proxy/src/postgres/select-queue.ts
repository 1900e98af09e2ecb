import type { ProxyConfig } from '../config.js';
import type { Queue } from '../queue.js';
import { createSqliteQueue } from '../sqlite-queue.js';
import { createPostgresQueue } from './postgres-queue.js';
import { isPostgresUrl, redactUrl } from './queue-config.js';

type QueueConfig = Pick<ProxyConfig, 'queue' | 'queueSchema' | 'dataDir' | 'durability'>;

/**
 * Creates the configured queue: SQLite in `dataDir` (one process owns the directory), or the
 * PostgreSQL queue that several processes share (no data directory and no lock: the database
 * arbitrates). The PostgreSQL schema is migrated in the background; every queue call waits for it.
 */
export function createConfiguredQueue(config: QueueConfig): Queue {
  if (isPostgresUrl(config.queue)) return createPostgresQueue({ url: config.queue, schema: config.queueSchema });
  return createSqliteQueue({ dataDir: config.dataDir, durability: config.durability });
}

/**
 * Like {@link createConfiguredQueue}, but resolves only once the queue is usable, so a process
 * that cannot reach its database fails at start with the reason instead of answering 500s.
 */
export async function openConfiguredQueue(config: QueueConfig): Promise<Queue> {
  if (!isPostgresUrl(config.queue)) return createConfiguredQueue(config);
  const queue = createPostgresQueue({ url: config.queue, schema: config.queueSchema });
  try {
    await queue.ready;
    return queue;
  } catch (error) {
    await queue.close().catch(() => undefined);
    throw new Error(`[tally] cannot open the PostgreSQL queue at ${redactUrl(config.queue)} (schema ${config.queueSchema}): ${(error as Error).message}`);
  }
}
