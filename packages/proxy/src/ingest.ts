import { isPlainObject, type Message, type MessageType } from '@tally/core';
import { operationJson, type CloudResult, type MixpanelSettings } from '@tally/mixpanel';
import type { Logger } from 'pino';
import { enrichMessage } from './enrich.js';
import { httpError, jsonReply, messageErrorText } from './errors.js';
import type { ProxyMetrics } from './metrics.js';
import type { Queue, QueueRecordInput } from './queue.js';
import type { ProxyCall, ProxyReply } from './proxy-call.js';
import { findHostile, validateMessage, type MessageDefaults } from './validate-message.js';
import { basicAuthUser } from './write-key.js';

/** Segment's HTTP API: at most 500 KB per request (after decompression). */
export const MAX_REQUEST_BYTES = 500 * 1024;

/** Maps one message to Mixpanel operations (the real one is `mapToCloud` with the project's settings). */
export type CloudMapper = (message: Message, now: number) => CloudResult;

/** A message the ingest refused, by its position in the request. */
export interface RejectedMessage {
  index: number;
  messageId: string | null;
  code: string;
  message: string;
}

/** What the ingest route needs. */
export interface IngestDeps {
  writeKeys: Set<string>;
  settings: MixpanelSettings;
  map: CloudMapper;
  queue: Queue;
  metrics: ProxyMetrics;
  logger: Logger;
  /** Called after records are durable, so idle workers wake up. */
  onEnqueued: () => void;
}

/** The routes under the ingest prefix and the message type each implies. */
export const INGEST_ROUTES: Record<string, MessageType | 'batch'> = {
  batch: 'batch',
  import: 'batch',
  track: 'track',
  identify: 'identify',
  page: 'page',
  screen: 'screen',
  alias: 'alias',
  group: 'group',
};

const utf8 = new TextDecoder();

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw httpError('invalid_json', (error as Error).message);
  }
}

/** Segment's `integrations`: `{ Mixpanel: false }`, or `{ All: false }` without `Mixpanel: true`, skip Mixpanel. */
function sendsToMixpanel(integrations: Record<string, unknown>): boolean {
  const own = integrations.Mixpanel;
  if (own === false) return false;
  return integrations.All !== false || (own !== undefined && own !== false);
}

function checkContentType(call: ProxyCall): void {
  const type = (call.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  // text/plain is how beacons and CORS-simple requests avoid a preflight.
  if (type !== '' && type !== 'application/json' && type !== 'text/plain') throw httpError('unsupported_media_type', type);
}

/**
 * Handles one ingest request: content type, body (size limit, gzip), JSON, write key, then each
 * message validated, enriched and mapped; every mapped operation enqueued in one transaction
 * before the response, so a 200 means the request's events are durable.
 */
export async function ingest(call: ProxyCall, route: MessageType | 'batch', ip: string | undefined, deps: IngestDeps): Promise<ProxyReply> {
  const receivedAt = Date.now();
  checkContentType(call);
  const text = utf8.decode(await call.body({ maxBytes: MAX_REQUEST_BYTES }));
  const body = parseJson(text);
  if (!isPlainObject(body)) throw httpError('invalid_body');
  const writeKey = basicAuthUser(call.header('authorization')) ?? (typeof body.writeKey === 'string' ? body.writeKey : undefined);
  if (!writeKey || !deps.writeKeys.has(writeKey)) throw httpError('unauthorized');

  let raws: unknown[];
  let defaults: MessageDefaults = {};
  if (route === 'batch') {
    if (!Array.isArray(body.batch) || body.batch.length === 0) throw httpError('invalid_batch');
    raws = body.batch;
    const shared = { context: body.context, integrations: body.integrations };
    const hostile = findHostile(shared);
    if (hostile && !hostile.ok) throw httpError('invalid_body', hostile.message);
    for (const [name, value] of Object.entries(shared)) {
      if (value !== undefined && value !== null && !isPlainObject(value)) throw httpError('invalid_body', `\`${name}\` must be an object`);
    }
    defaults = {
      ...(isPlainObject(body.context) ? { context: body.context } : {}),
      ...(isPlainObject(body.integrations) ? { integrations: body.integrations } : {}),
      ...(typeof body.sentAt === 'string' ? { sentAt: body.sentAt } : {}),
    };
  } else {
    const { writeKey: _ignored, ...message } = body;
    raws = [message];
  }
  deps.metrics.received.inc({ route }, raws.length);

  const rejected: RejectedMessage[] = [];
  const records: QueueRecordInput[] = [];
  const facts = { receivedAt, ip };
  raws.forEach((raw, index) => {
    const rawId = isPlainObject(raw) && typeof raw.messageId === 'string' ? raw.messageId : null;
    const reject = (code: string, message: string) => {
      rejected.push({ index, messageId: rawId, code, message });
      deps.metrics.rejected.inc({ code });
    };
    const valid = validateMessage(raw, route === 'batch' ? undefined : route, defaults);
    if (!valid.ok) return reject(valid.code, valid.message);
    const message = enrichMessage(valid.message, facts);
    if (!sendsToMixpanel(message.integrations)) return;
    let mapped: CloudResult;
    try {
      mapped = deps.map(message, receivedAt);
    } catch (error) {
      deps.logger.error({ err: error, messageId: message.messageId }, 'mapping threw');
      return reject('mapping_failed', messageErrorText('mapping_failed', (error as Error).message));
    }
    if (!mapped.ok) return reject(mapped.rejection.code, mapped.rejection.message);
    if (mapped.warnings.length > 0) deps.logger.debug({ messageId: message.messageId, warnings: mapped.warnings }, 'mapping warnings');
    // FIFO per user: an alias or identify stays ahead of the events that follow it.
    const key = message.userId ?? message.anonymousId ?? message.messageId;
    for (const op of mapped.operations) {
      records.push({ endpoint: op.endpoint, region: deps.settings.region, key, body: operationJson(op), messageId: message.messageId });
    }
  });

  const accepted = raws.length - rejected.length;
  if (records.length > 0) {
    try {
      await deps.queue.enqueue(records);
    } catch (error) {
      // SQLite's busy timeout ran out while another connection (the delivery thread, a cluster
      // sibling) held the write lock: nothing was stored, the client may retry shortly.
      if (String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY')) throw httpError('overloaded', 'the queue is busy', { 'retry-after': '1' });
      throw error;
    }
    deps.onEnqueued();
  }
  deps.metrics.accepted.inc(accepted);
  const result = { accepted, rejected };
  if (accepted === 0) {
    const only = route === 'batch' ? undefined : rejected[0];
    throw only
      ? httpError('all_rejected', undefined, {}, { ...result, code: only.code, message: only.message })
      : httpError('all_rejected', undefined, {}, result);
  }
  return jsonReply(200, { success: true, ...result });
}

