import cluster, { type Worker as ClusterWorker } from 'node:cluster';
import { pino, type Logger } from 'pino';
import { resolveProxyConfig, type ProxyConfig, type ProxyConfigInput } from './config.js';
import { createDelivery } from './delivery-host.js';
import { createMetrics } from './metrics.js';
import { startProxyServer } from './node-server.js';
import { isPostgresUrl } from './postgres/queue-config.js';
import type { Queue } from './queue.js';
import { createMixpanelSender } from './sender.js';
import { createSqliteQueue } from './sqlite-queue.js';
import type { Workers } from './worker.js';

// The primary hands its resolved configuration to the children it forks.
const CONFIG_ENV = 'TALLY_CLUSTER_CONFIG';
type ClusterMessage = { tally: 'notify' } | { tally: 'listening'; url: string };

/** A running cluster as one process sees it: the primary (delivers) or one child (ingests). */
export interface ProxyCluster {
  role: 'primary' | 'child';
  /** The URL every child listens on (one shared port). */
  url: string;
  /** In the primary: the owner's queue (size, dead letters); in a child: its own connection. */
  queue: Queue | undefined;
  logger: Logger;
  /** Primary: stops the children (each finishes its requests), then delivery, then the queue. */
  close(): Promise<void>;
}

/**
 * Runs the proxy as `config.processes` ingest processes sharing one port (node:cluster). Call it
 * from the program's entry: node:cluster starts the children from the same entry, where it ingests.
 * With the SQLite queue the primary owns the data directory (its lock, lease reclaim) and delivers;
 * the children open the same WAL file as helpers and tell the primary when they committed records.
 * With a PostgreSQL queue every child is a whole proxy and the database arbitrates.
 * @example const c = await startProxyCluster({ ...config, processes: 2 }); if (c.role === 'primary') console.log(c.url);
 */
export async function startProxyCluster(input: ProxyConfigInput | ProxyConfig): Promise<ProxyCluster> {
  if (cluster.isWorker) return startChild(JSON.parse(process.env[CONFIG_ENV] ?? 'null') ?? input);
  const config = 'settings' in input ? (input as ProxyConfig) : resolveProxyConfig(input);
  const logger = pino({ level: config.logLevel, base: { service: 'tally-proxy', role: 'primary' } });
  const shared = !isPostgresUrl(config.queue);
  const queue = shared ? createSqliteQueue({ dataDir: config.dataDir, durability: config.durability }) : undefined;
  let delivery: Workers | undefined;
  if (queue) {
    const { auth, baseUrls, delivery: { timeoutMs, gzip } } = config;
    const send = createMixpanelSender({ auth, baseUrls, ...(timeoutMs ? { timeoutMs } : {}), ...(gzip === undefined ? {} : { gzip }) }).send;
    // The primary's own event loop is free (the children ingest): it delivers without a thread.
    delivery = createDelivery({ queue, send, customSend: false, logger, metrics: createMetrics(() => queue.size()), config, thread: false });
    delivery.start();
  }
  let running = true;
  const fork = () =>
    new Promise<string>((resolve, reject) => {
      const child = cluster.fork({ [CONFIG_ENV]: JSON.stringify(config) });
      child.on('message', (message: ClusterMessage) => {
        if (message?.tally === 'notify') delivery?.notify();
        else if (message?.tally === 'listening') resolve(message.url);
      });
      child.once('exit', (code) => reject(new Error(`[tally] an ingest process exited (${code}) before listening`)));
    });
  const urls = await Promise.all(Array.from({ length: config.processes }, fork));
  cluster.on('exit', (child: ClusterWorker, code) => {
    if (!running) return;
    // Its unanswered requests are the clients' to retry; its committed records are in the queue.
    logger.error({ pid: child.process.pid, code }, 'an ingest process exited; starting another');
    fork().catch((error: unknown) => logger.error({ err: error }, 'could not restart an ingest process'));
  });
  return {
    role: 'primary',
    url: urls[0]!,
    queue,
    logger,
    async close() {
      running = false;
      await Promise.all(Object.values(cluster.workers ?? {}).map((child) => stopChild(child!, config.shutdownTimeoutMs)));
      await delivery?.stop(config.shutdownTimeoutMs);
      await queue?.close();
    },
  };
}

function stopChild(child: ClusterWorker, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (child.isDead()) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 2_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.disconnect();
  });
}

async function startChild(config: ProxyConfig): Promise<ProxyCluster> {
  const logger = pino({ level: config.logLevel, base: { service: 'tally-proxy', role: 'ingest' } });
  const helper = !isPostgresUrl(config.queue);
  const queue = helper ? createSqliteQueue({ dataDir: config.dataDir, durability: config.durability, role: 'helper', autoCheckpoint: false }) : undefined;
  let notifyQueued = false;
  // Ingest only: delivery is the primary's, woken at most every 20 ms (an IPC message per event-loop
  // turn cost more than it saved: a busy primary claims again by itself; an idle one waits ≤ 20 ms more).
  const workers: Workers = {
    start() {},
    async stop() {},
    notify() {
      if (notifyQueued) return;
      notifyQueued = true;
      setTimeout(() => {
        notifyQueued = false;
        if (process.connected) process.send!({ tally: 'notify' } satisfies ClusterMessage);
      }, 20).unref();
    },
  };
  const server = await startProxyServer(config, { logger, ...(queue ? { queue, workers } : {}) });
  process.send!({ tally: 'listening', url: server.url } satisfies ClusterMessage);
  // The primary went away (stop, or kill -9): finish what is in flight, then leave.
  const leave = () => void server.close().finally(() => process.exit(0));
  process.once('disconnect', leave);
  process.once('SIGTERM', leave);
  process.once('SIGINT', leave);
  return { role: 'child', url: server.url, queue: server.proxy.queue, logger, close: () => server.close() };
}
