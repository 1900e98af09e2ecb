import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { pino } from 'pino';
import { createMixpanelSender, type SenderOptions } from './sender.js';
import { createSqliteQueue } from './sqlite-queue.js';
import { createWorkers, type DeliveryMetrics, type WorkerOptions } from './worker.js';

/** What the host hands a delivery thread (structured-cloned, so plain data only). */
export interface DeliveryThreadData {
  tallyDeliveryThread: 1;
  dataDir: string;
  durability: 'process' | 'power';
  sender: Omit<SenderOptions, 'fetch'>;
  delivery: Omit<WorkerOptions, 'queue' | 'send' | 'logger' | 'metrics'>;
  logLevel: string;
}

/** One metric update relayed to the host: `[metric, endpoint, value]` (an increment or an observation). */
export type MetricUpdate = [keyof DeliveryMetrics, string, number];

/** Host → thread. */
export type ToThread = { type: 'notify' } | { type: 'stop'; timeoutMs: number };
/** Thread → host. */
export type FromThread = { type: 'removed'; count: number } | { type: 'metrics'; updates: MetricUpdate[] } | { type: 'idle' } | { type: 'stopped' };

/** This module's URL: the host starts the thread from it (in a bundle, the chunk that holds it). */
export const DELIVERY_THREAD_URL = import.meta.url;

/** Delivery metrics that batch their updates and post them to the host once per event-loop turn. */
function relayMetrics(port: MessagePort): { metrics: DeliveryMetrics; flush: () => void } {
  let updates: MetricUpdate[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (updates.length > 0) port.postMessage({ type: 'metrics', updates } satisfies FromThread);
    updates = [];
  };
  const add = (name: keyof DeliveryMetrics, endpoint: string, value: number) => {
    updates.push([name, endpoint, value]);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  const counter = (name: keyof DeliveryMetrics) => ({ inc: (l: { endpoint: string }, v = 1) => add(name, l.endpoint, v) });
  return {
    flush,
    metrics: {
      delivered: counter('delivered'),
      retried: counter('retried'),
      deadLettered: counter('deadLettered'),
      mixpanelRequests: counter('mixpanelRequests'),
      deliveryLatency: { observe: (l, v) => add('deliveryLatency', l.endpoint, v) },
    },
  };
}

/** The thread's body: its own connection to the owner's queue, the sender and the delivery loops. */
function runDeliveryThread(data: DeliveryThreadData, port: MessagePort): void {
  const queue = createSqliteQueue({
    dataDir: data.dataDir,
    durability: data.durability,
    role: 'helper',
    // The owner counts enqueues itself; removals happen here, so it is told of them.
    onRemoved: (count) => port.postMessage({ type: 'removed', count } satisfies FromThread),
  });
  const logger = pino({ level: data.logLevel, base: { service: 'tally-proxy', thread: 'delivery' } });
  const { metrics, flush } = relayMetrics(port);
  const onIdle = () => port.postMessage({ type: 'idle' } satisfies FromThread);
  const workers = createWorkers({ queue, send: createMixpanelSender(data.sender).send, logger, metrics, onIdle, ...data.delivery });
  port.on('message', (message: ToThread) => {
    if (message.type === 'notify') return workers.notify();
    void workers.stop(message.timeoutMs).then(async () => {
      flush();
      await queue.close();
      port.postMessage({ type: 'stopped' } satisfies FromThread);
    });
  });
  workers.start();
}

// Loaded as a worker thread's entry (the host passes this marker): run the delivery loops.
if (!isMainThread && parentPort && (workerData as Partial<DeliveryThreadData> | null)?.tallyDeliveryThread === 1) {
  runDeliveryThread(workerData as DeliveryThreadData, parentPort);
}
