import type { Endpoint, Region } from '@tally/mixpanel';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { LIMITS, planBatches } from './plan-batches.js';
import type { SendFn } from './sender.js';

/** What happened to each record (by index into the input) in one delivery attempt. */
export interface AttemptResult {
  delivered: number[];
  /** Refused by Mixpanel (strict-mode failed_records, a refused single record): dead letters. */
  failed: Array<{ index: number; reason: string }>;
  /** Not delivered this time (429, 5xx, network): try again after `retryAfterMs` at least. */
  retry: number[];
  retryAfterMs: number;
  error: string;
  /** HTTP requests made. */
  requests: number;
}

/**
 * One attempt at delivering records (JSON texts, in order) to one endpoint: split into requests
 * within Mixpanel's limits, and when Mixpanel refuses a whole request (400, `status: 0`, 413),
 * bisect it until the refused records are alone, so one bad record never sinks its neighbours.
 * After the first retryable failure the remaining records are not sent (Mixpanel is rate limiting
 * or down, and later records of a user must not overtake earlier ones).
 */
export async function attemptDelivery(send: SendFn, endpoint: Endpoint, region: Region, records: string[]): Promise<AttemptResult> {
  const limits = LIMITS[endpoint];
  const result: AttemptResult = { delivered: [], failed: [], retry: [], retryAfterMs: 0, error: '', requests: 0 };
  const sizes = records.map((r) => Buffer.byteLength(r, 'utf8'));

  const sendIndexes = async (indexes: number[]): Promise<void> => {
    if (result.retry.length > 0) {
      result.retry.push(...indexes);
      return;
    }
    if (indexes.length === 1 && sizes[indexes[0]!]! > limits.maxRecordBytes) {
      result.failed.push({ index: indexes[0]!, reason: `record larger than Mixpanel's ${limits.maxRecordBytes} bytes per ${endpoint} record` });
      return;
    }
    result.requests++;
    const outcome = await send(endpoint, region, indexes.map((i) => records[i]!));
    switch (outcome.kind) {
      case 'ok':
        result.delivered.push(...indexes);
        return;
      case 'partial': {
        const bad = new Map(outcome.failed.filter((f) => f.index >= 0 && f.index < indexes.length).map((f) => [f.index, f.reason]));
        indexes.forEach((record, position) => {
          const reason = bad.get(position);
          if (reason === undefined) result.delivered.push(record);
          else result.failed.push({ index: record, reason });
        });
        return;
      }
      case 'retry':
        result.retry.push(...indexes);
        result.retryAfterMs = Math.max(result.retryAfterMs, outcome.retryAfterMs ?? 0);
        result.error = outcome.error;
        return;
      case 'rejected':
      case 'too_large':
        if (indexes.length === 1) {
          result.failed.push({ index: indexes[0]!, reason: outcome.error });
          return;
        }
        {
          const half = Math.ceil(indexes.length / 2);
          await sendIndexes(indexes.slice(0, half));
          await sendIndexes(indexes.slice(half));
        }
    }
  };

  for (const [start, end] of planBatches(sizes, limits)) {
    await sendIndexes(Array.from({ length: end - start }, (_, i) => start + i));
  }
  return result;
}

/** Options of {@link deliverRecords}. */
export interface DeliverOptions {
  maxAttempts?: number;
  backoff?: BackoffOptions;
  sleep?: (ms: number) => Promise<void>;
}

/** The end result of {@link deliverRecords}. */
export interface DeliveryReport {
  delivered: number[];
  failed: Array<{ index: number; reason: string }>;
  /** Still undelivered after `maxAttempts`. */
  undelivered: number[];
  error: string;
  requests: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Delivers records now, retrying in memory with backoff honouring `Retry-After`. For batch jobs
 * (a warehouse sync); the proxy's workers retry through their durable queue instead.
 */
export async function deliverRecords(send: SendFn, endpoint: Endpoint, region: Region, records: string[], options: DeliverOptions = {}): Promise<DeliveryReport> {
  const maxAttempts = options.maxAttempts ?? 8;
  const sleep = options.sleep ?? defaultSleep;
  const report: DeliveryReport = { delivered: [], failed: [], undelivered: [], error: '', requests: 0 };
  let pending = records.map((_, i) => i);
  for (let attempt = 0; pending.length > 0; attempt++) {
    const result = await attemptDelivery(send, endpoint, region, pending.map((i) => records[i]!));
    report.requests += result.requests;
    report.delivered.push(...result.delivered.map((i) => pending[i]!));
    report.failed.push(...result.failed.map((f) => ({ index: pending[f.index]!, reason: f.reason })));
    const next = result.retry.map((i) => pending[i]!);
    if (next.length === 0) break;
    report.error = result.error;
    if (attempt + 1 >= maxAttempts) {
      report.undelivered = next;
      break;
    }
    await sleep(backoffDelay(attempt, result.retryAfterMs, options.backoff ?? DEFAULT_BACKOFF));
    pending = next;
  }
  return report;
}
