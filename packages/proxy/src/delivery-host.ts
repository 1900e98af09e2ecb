import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { ProxyConfig } from './config.js';
import { DELIVERY_THREAD_URL, type DeliveryThreadData, type FromThread, type ToThread } from './delivery-thread.js';
import type { ProxyMetrics } from './metrics.js';
import type { Queue } from './queue.js';
import type { SendFn } from './sender.js';
import { sqliteShare, type SqliteShare } from './sqlite-share.js';
import { createWorkers, type Workers } from './worker.js';

/** How the delivery thread is started; `false` keeps delivery on the main thread. */
export type DeliveryThreadOption = { execArgv?: string[] } | false;

/** Options of {@link createDelivery}. */
export interface DeliveryOptions {
  queue: Queue;
  send: SendFn;
  /** True when `send` is not the configured Mixpanel sender (a test's): it cannot cross into a thread. */
  customSend: boolean;
  logger: Logger;
  metrics: ProxyMetrics;
  config: ProxyConfig;
  thread?: DeliveryThreadOption;
}

/**
 * The delivery loops, in a worker thread when the queue is the on-disk SQLite queue (the thread
 * opens its own connection to the same WAL file), else on the main thread. Measured on 2 cores:
 * sharing one event loop, 128 overloading clients starved delivery to ~200 events/s while ingest
 * filled the queue; in its own thread delivery keeps its share of the CPU.
 */
export function createDelivery(options: DeliveryOptions): Workers {
  const { queue, send, logger, metrics, config } = options;
  const { thread: threadSetting, timeoutMs, gzip, ...loops } = config.delivery;
  const share = sqliteShare(queue);
  // Sources run by vitest are TypeScript, which a worker thread loads only with a loader (tests pass one).
  const loadable = !DELIVERY_THREAD_URL.endsWith('.ts') || (options.thread !== false && options.thread?.execArgv !== undefined);
  if (!share || threadSetting === false || options.thread === false || options.customSend || !loadable) {
    return createWorkers({ queue, send, logger, metrics, ...loops });
  }
  const data: DeliveryThreadData = {
    tallyDeliveryThread: 1,
    dataDir: share.dataDir,
    durability: share.durability,
    sender: { auth: config.auth, baseUrls: config.baseUrls, ...(timeoutMs === undefined ? {} : { timeoutMs }), ...(gzip === undefined ? {} : { gzip }) },
    delivery: loops,
    logLevel: config.logLevel,
  };
  return threadWorkers(data, share, metrics, logger, options.thread ? options.thread.execArgv : undefined);
}

function threadWorkers(data: DeliveryThreadData, share: SqliteShare, metrics: ProxyMetrics, logger: Logger, execArgv: string[] | undefined): Workers {
  let worker: Worker | undefined;
  let running = false;
  // Wake-ups go to an idle thread only: a busy one claims again by itself, and a post per commit
  // was 3.3% of the main thread under load. A notify while the thread is busy (or while its
  // `idle` is on the way) is answered when `idle` arrives, so no wake-up is lost.
  let idle = true;
  let missed = false;
  let stopped: (() => void) | undefined;

  const onMessage = (message: FromThread) => {
    if (message.type === 'removed') share.removed(message.count);
    else if (message.type === 'stopped') stopped?.();
    else if (message.type === 'idle') {
      idle = !missed;
      if (missed) post({ type: 'notify' });
      missed = false;
    }
    else {
      for (const [name, endpoint, value] of message.updates) {
        if (name === 'deliveryLatency') metrics.deliveryLatency.observe({ endpoint }, value);
        else metrics[name].inc({ endpoint }, value);
      }
    }
  };
  const spawn = () => {
    const w = new Worker(new URL(DELIVERY_THREAD_URL), { workerData: data, ...(execArgv ? { execArgv } : {}) });
    idle = true;
    missed = false;
    w.on('message', onMessage);
    w.on('error', (error) => logger.error({ err: error }, 'delivery thread failed'));
    w.on('exit', (code) => {
      if (worker !== w) return;
      worker = undefined;
      stopped?.();
      if (!running) return;
      // Its leases would block those records (and their users' later ones) until they expire.
      logger.error({ code }, 'delivery thread exited; reclaiming its leases and restarting it');
      share.reclaimLeases();
      setTimeout(() => running && !worker && spawn(), 1_000).unref();
    });
    worker = w;
  };
  const post = (message: ToThread) => worker?.postMessage(message);

  return {
    mode: 'thread',
    start() {
      if (running) return;
      running = true;
      share.deferCheckpoints();
      spawn();
    },
    notify() {
      if (!idle) {
        missed = true;
        return;
      }
      idle = false;
      post({ type: 'notify' });
    },
    async stop(timeoutMs = 10_000) {
      running = false;
      const w = worker;
      if (!w) return;
      const done = new Promise<void>((resolve) => (stopped = resolve));
      post({ type: 'stop', timeoutMs });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([done, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs + 2_000)))]);
      clearTimeout(timer);
      worker = undefined;
      await w.terminate();
    },
  };
}
