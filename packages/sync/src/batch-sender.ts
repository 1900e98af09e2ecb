import type { Endpoint, Region } from '@tally/mixpanel';
import { deliverRecords, LIMITS, type DeliverOptions, type SendFn } from '@tally/proxy';
import { RECORD_ERRORS } from './errors.js';
import type { BatchOutcome, SyncState } from './state.js';

/** One record waiting to be sent: an insert, an update, or a profile `$delete`. */
export interface PendingRecord {
  kind: 'insert' | 'update' | 'delete';
  key: string;
  /** Hash of the bodies, stored once acknowledged (unused for deletes). */
  hash: string;
  /** JSON texts of its Mixpanel updates; all must be acknowledged for the record to count. */
  bodies: string[];
}

/** What happened to the records of one batch. */
export interface BatchResult {
  inserted: number;
  updated: number;
  deleted: number;
  failures: Array<{ key: string; reason: string }>;
  requests: number;
}

/** Options of {@link createBatchSender}. */
export interface BatchSenderOptions {
  send: SendFn;
  endpoint: Endpoint;
  region: Region;
  state: SyncState;
  sync: string;
  /** Batches in flight at once (each is one request when all goes well). */
  concurrency: number;
  deliver?: DeliverOptions;
  /** Called after Mixpanel answered a batch, before its state is committed (a throw here is a crash). */
  beforeCommit?: (batch: number) => void | Promise<void>;
  onResult: (result: BatchResult) => void;
}

/**
 * Groups records into batches within Mixpanel's per-request limits (the proxy's `LIMITS`),
 * sends them with the proxy's `deliverRecords` (retries with backoff, `Retry-After`, strict-mode
 * `failed_records`, bisection of refused requests), and commits each batch's state only after
 * Mixpanel's answer. `add` waits while `concurrency` batches are in flight: backpressure on the source.
 */
export function createBatchSender(options: BatchSenderOptions) {
  const limits = LIMITS[options.endpoint];
  const inFlight = new Set<Promise<void>>();
  let batch: PendingRecord[] = [];
  let bodies = 0;
  let bytes = 2;
  let batches = 0;
  let failure: unknown;

  async function deliver(records: PendingRecord[]): Promise<void> {
    const texts: string[] = [];
    const owner: number[] = [];
    records.forEach((record, i) => {
      for (const body of record.bodies) {
        texts.push(body);
        owner.push(i);
      }
    });
    const report = await deliverRecords(options.send, options.endpoint, options.region, texts, options.deliver);
    const reasons = new Map<number, string>();
    for (const { index, reason } of report.failed) if (!reasons.has(owner[index]!)) reasons.set(owner[index]!, reason);
    const undelivered = new Set(report.undelivered.map((i) => owner[i]!));
    const outcome: BatchOutcome = { delivered: [], failed: [], deleted: [] };
    const result: BatchResult = { inserted: 0, updated: 0, deleted: 0, failures: [], requests: report.requests };
    records.forEach((record, i) => {
      const reason = reasons.get(i);
      if (reason !== undefined) {
        // Refused by Mixpanel: remembered as failed, so the next run sends it again.
        outcome.failed.push({ key: record.key, reason });
        result.failures.push({ key: record.key, reason });
      } else if (undelivered.has(i)) {
        // Never answered: the state keeps what was last acknowledged, so the next run re-sends it.
        result.failures.push({ key: record.key, reason: RECORD_ERRORS.undelivered(report.error) });
      } else if (record.kind === 'delete') {
        outcome.deleted.push(record.key);
        result.deleted++;
      } else {
        outcome.delivered.push({ key: record.key, hash: record.hash });
        result[record.kind === 'insert' ? 'inserted' : 'updated']++;
      }
    });
    await options.beforeCommit?.(++batches);
    options.state.commit(options.sync, outcome);
    options.onResult(result);
  }

  function dispatch(): void {
    if (batch.length === 0) return;
    const records = batch;
    batch = [];
    bodies = 0;
    bytes = 2;
    const running: Promise<void> = deliver(records)
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => inFlight.delete(running));
    inFlight.add(running);
  }

  const check = () => {
    if (failure !== undefined) throw failure;
  };

  return {
    /** Queues a record; resolves once there is room for more. Throws the first failed batch's error. */
    async add(record: PendingRecord): Promise<void> {
      check();
      const size = record.bodies.reduce((n, body) => n + Buffer.byteLength(body) + 1, 0);
      if (batch.length > 0 && (bodies + record.bodies.length > limits.maxRecords || bytes + size > limits.maxRequestBytes)) dispatch();
      batch.push(record);
      bodies += record.bodies.length;
      bytes += size;
      if (bodies >= limits.maxRecords) dispatch();
      while (inFlight.size >= options.concurrency) await Promise.race(inFlight);
      check();
    },
    /** Waits for the batches in flight, ignoring their errors (cleanup after a failure). */
    async settle(): Promise<void> {
      await Promise.allSettled([...inFlight]);
    },
    /** Sends what is left and waits for every batch. */
    async flush(): Promise<void> {
      dispatch();
      while (inFlight.size > 0) await Promise.race(inFlight);
      check();
    },
  };
}

/** A batch sender of one sync. */
export type BatchSender = ReturnType<typeof createBatchSender>;
