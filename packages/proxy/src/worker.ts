import type { Logger } from 'pino';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { attemptDelivery } from './deliver.js';
import { LIMITS } from './plan-batches.js';
import type { Queue, QueueRecord } from './queue.js';
import type { SendFn } from './sender.js';

type EndpointLabel = { endpoint: string };

/** The metrics the delivery loops update: a part of `ProxyMetrics`, or a delivery thread's relay of it. */
export interface DeliveryMetrics {
  delivered: { inc(labels: EndpointLabel, value?: number): void };
  retried: { inc(labels: EndpointLabel, value?: number): void };
  deadLettered: { inc(labels: EndpointLabel, value?: number): void };
  mixpanelRequests: { inc(labels: EndpointLabel, value?: number): void };
  deliveryLatency: { observe(labels: EndpointLabel, value: number): void };
}

/** Options of {@link createWorkers}. */
export interface WorkerOptions {
  queue: Queue;
  send: SendFn;
  logger: Logger;
  metrics?: DeliveryMetrics;
  /** Claim-and-deliver loops running at once (default 2). */
  concurrency?: number;
  /** How long a claim is leased; an unacked record is claimable again after it (default 5 min; a restart reclaims at once). */
  leaseMs?: number;
  /** Waits this long for more records when fewer than a full batch are queued (default 250 ms). */
  batchWaitMs?: number;
  /** Checks the queue this often when idle and not notified (default 1 s). */
  pollMs?: number;
  /** After this many failed attempts a record is dead-lettered (default 50, hours of backoff). */
  maxAttempts?: number;
  backoff?: BackoffOptions;
  /** Called when a claim found nothing and the loop goes to sleep (a delivery thread tells its host). */
  onIdle?: () => void;
}

/** The delivery loops. */
export interface Workers {
  /** Where delivery runs: the caller's event loop, or a worker thread (logged at start). */
  readonly mode?: 'event loop' | 'thread';
  start(): void;
  /** Tells idle loops that records were enqueued. */
  notify(): void;
  /** Stops claiming and waits (at most `timeoutMs`) for in-flight deliveries to finish. */
  stop(timeoutMs?: number): Promise<void>;
}


function groupByTarget(records: QueueRecord[]): QueueRecord[][] {
  const groups = new Map<string, QueueRecord[]>();
  for (const r of records) {
    const key = `${r.endpoint} ${r.region}`;
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  return [...groups.values()];
}

/** Creates the workers that move records from the queue to Mixpanel. */
export function createWorkers(options: WorkerOptions): Workers {
  const { queue, send, logger, metrics } = options;
  const concurrency = options.concurrency ?? 2;
  const leaseMs = options.leaseMs ?? 300_000;
  const batchWaitMs = options.batchWaitMs ?? 250;
  const pollMs = options.pollMs ?? 1_000;
  const maxAttempts = options.maxAttempts ?? 50;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  // Mixpanel's import limit bounds one claim: a claim is at most one full request per endpoint.
  const claimLimits = { maxRecords: LIMITS.import.maxRecords, maxBytes: LIMITS.import.maxRequestBytes };

  let running = false;
  let pausedUntil = 0;
  let wakers: Array<() => void> = [];
  const loops: Promise<void>[] = [];

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakers = wakers.filter((w) => w !== done);
        resolve();
      }
      wakers.push(done);
    });
  const wakeAll = () => {
    for (const w of [...wakers]) w();
  };

  async function deliverGroup(records: QueueRecord[]): Promise<void> {
    const { endpoint, region } = records[0]!;
    const result = await attemptDelivery(send, endpoint, region, records.map((r) => r.body));
    metrics?.mixpanelRequests.inc({ endpoint }, result.requests);
    const now = Date.now();
    if (result.delivered.length > 0) {
      const delivered = result.delivered.map((i) => records[i]!);
      await queue.ack(delivered.map((r) => r.id));
      metrics?.delivered.inc({ endpoint }, delivered.length);
      for (const r of delivered) metrics?.deliveryLatency.observe({ endpoint }, (now - r.enqueuedAt) / 1000);
    }
    for (const { index, reason } of result.failed) {
      const record = records[index]!;
      await queue.deadLetter([record.id], reason);
      metrics?.deadLettered.inc({ endpoint });
      logger.warn({ endpoint, messageId: record.messageId, reason }, 'Mixpanel refused a record; dead-lettered');
    }
    if (result.retry.length > 0) {
      const retry = result.retry.map((i) => records[i]!);
      const exhausted = retry.filter((r) => r.attempts + 1 >= maxAttempts);
      const again = retry.filter((r) => r.attempts + 1 < maxAttempts);
      if (exhausted.length > 0) {
        await queue.deadLetter(exhausted.map((r) => r.id), `gave up after ${maxAttempts} attempts: ${result.error}`);
        metrics?.deadLettered.inc({ endpoint }, exhausted.length);
      }
      if (again.length > 0) {
        const attempts = Math.min(...again.map((r) => r.attempts));
        const delay = backoffDelay(attempts, result.retryAfterMs, backoff);
        await queue.retry(again.map((r) => r.id), now + delay, result.error);
        metrics?.retried.inc({ endpoint }, again.length);
        // Mixpanel rate-limits per project: every loop holds off, not only this batch.
        if (result.retryAfterMs > 0) pausedUntil = Math.max(pausedUntil, now + result.retryAfterMs);
      }
      logger.warn({ endpoint, records: retry.length, error: result.error, retryAfterMs: result.retryAfterMs }, 'delivery failed; will retry');
    }
  }

  async function loop(): Promise<void> {
    let lastClaim = 0;
    while (running) {
      try {
        const now = Date.now();
        if (pausedUntil > now) {
          await wait(pausedUntil - now);
          continue;
        }
        // Let traffic from many clients gather into one request unless a full batch is waiting.
        if (now - lastClaim < batchWaitMs && (await queue.size()) < claimLimits.maxRecords) {
          await wait(batchWaitMs - (now - lastClaim));
          if (!running) break;
        }
        lastClaim = Date.now();
        const records = await queue.claim(claimLimits, leaseMs);
        if (records.length === 0) {
          options.onIdle?.();
          await wait(pollMs);
          // Woken by new records: the batch wait above now gives others a moment to arrive.
          lastClaim = Date.now();
          continue;
        }
        await Promise.all(groupByTarget(records).map(deliverGroup));
      } catch (error) {
        if (!running) break;
        logger.error({ err: error }, 'delivery loop failed; pausing');
        await wait(pollMs);
      }
    }
  }

  return {
    mode: 'event loop',
    start() {
      if (running) return;
      running = true;
      for (let i = 0; i < concurrency; i++) loops.push(loop());
    },
    notify: wakeAll,
    async stop(timeoutMs = 10_000) {
      running = false;
      wakeAll();
      const all = Promise.all(loops.splice(0));
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      await Promise.race([all, timedOut]);
      clearTimeout(timer);
    },
  };
}
