import type { Endpoint, Region } from '@tally/mixpanel';

/** One Mixpanel operation waiting for delivery, as the ingest stores it. */
export interface QueueRecordInput {
  endpoint: Endpoint;
  region: Region;
  /** Records with the same key are delivered in order (FIFO per user). */
  key: string;
  /** The operation body as JSON text (an event, a profile update or a group update). */
  body: string;
  /** The message this operation came from, for logs and dead letters. */
  messageId: string;
}

/** A stored record as a worker sees it. */
export interface QueueRecord extends QueueRecordInput {
  id: number;
  /** Delivery attempts made before this claim. */
  attempts: number;
  /** Epoch ms when the record was enqueued (for the delivery-latency histogram). */
  enqueuedAt: number;
}

/** Limits of one claim: Mixpanel's batch limits bound a single claim too. */
export interface ClaimLimits {
  maxRecords: number;
  maxBytes: number;
}

/** A dead-lettered record with Mixpanel's (or the sender's) reason. */
export interface DeadLetter extends QueueRecord {
  reason: string;
  deadAt: number;
}

/**
 * The durable queue between ingest and delivery. SQLite is the embedded default; the shape fits
 * a shared database too (claim = `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED)` that
 * sets a lease; an expired lease makes the row claimable again).
 */
export interface Queue {
  /** Stores all records or none; resolves once they are durable. */
  enqueue(records: QueueRecordInput[]): Promise<void>;
  /**
   * Leases up to `limits` of available records for `leaseMs`. A record is not claimed while an
   * earlier record with the same key is leased or waiting for a retry, and for one key only a
   * run of records for the same endpoint and region is claimed, so one request carries them in order.
   */
  claim(limits: ClaimLimits, leaseMs: number, now?: number): Promise<QueueRecord[]>;
  /** Removes delivered records. */
  ack(ids: number[]): Promise<void>;
  /** Releases records for another attempt not before `notBefore` (epoch ms). */
  retry(ids: number[], notBefore: number, error: string): Promise<void>;
  /** Moves records to the dead-letter store with a reason. */
  deadLetter(ids: number[], reason: string): Promise<void>;
  /** Records waiting or in flight (dead letters excluded). */
  size(): Promise<number>;
  /** Dead letters, oldest first (for operators and tests). */
  deadLetters(limit?: number): Promise<DeadLetter[]>;
  close(): Promise<void>;
}

/**
 * A queue table's row as either engine returns it: SQLite gives numbers, PostgreSQL gives `bigint`
 * columns as strings, so both go through one conversion into a {@link QueueRecord}.
 */
export interface QueueRow {
  id: number | string;
  endpoint: string;
  region: string;
  key: string;
  body: string;
  message_id: string;
  attempts: number;
  enqueued_at: number | string;
}

/** A stored row as a worker sees it. */
export const toRecord = (row: QueueRow): QueueRecord => ({
  id: Number(row.id),
  endpoint: row.endpoint as QueueRecord['endpoint'],
  region: row.region as QueueRecord['region'],
  key: row.key,
  body: row.body,
  messageId: row.message_id,
  attempts: row.attempts,
  enqueuedAt: Number(row.enqueued_at),
});
