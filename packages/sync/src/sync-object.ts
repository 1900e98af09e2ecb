import type { Region } from '@tally/mixpanel';
import type { DeliverOptions, SendFn } from '@tally/proxy';
import { createBatchSender, type BatchResult } from './batch-sender.js';
import type { SyncMixpanel, SyncObject } from './config.js';
import { deleteBody } from './delete-body.js';
import { RECORD_ERRORS, SyncError } from './errors.js';
import { createRowMapper, ENDPOINTS, type MapResult } from './map-row.js';
import { redactText } from './redact.js';
import { emptyCounts, MAX_FAILURES, type ObjectReport, type SyncProgress } from './report.js';
import type { Source } from './source.js';
import { createSeenKeys, type SyncState } from './state.js';

/** What one sync needs from the run. */
export interface SyncObjectContext {
  source: Source;
  state: SyncState;
  send: SendFn;
  mixpanel: SyncMixpanel;
  region: Region;
  dryRun: boolean;
  full: boolean;
  concurrency: number;
  previewCount: number;
  deliver?: DeliverOptions;
  secrets: Array<string | undefined>;
  signal?: AbortSignal;
  beforeCommit?: (batch: number) => void | Promise<void>;
  onProgress?: (progress: SyncProgress) => void;
}

// Progress is reported at most this often (rows), besides after every batch.
const PROGRESS_EVERY = 1_000;
const DELETE_PAGE = 1_000;
const CHUNK_ROWS = 500;

/**
 * Runs one sync: streams its query, maps each row, sends only new and changed records (all of
 * them with `full`), then `$delete`s profiles whose keys were not seen (with `deletes`, and only
 * after the whole query was read: a failed read must never delete).
 */
export async function syncObject(sync: SyncObject, ctx: SyncObjectContext): Promise<ObjectReport> {
  const started = Date.now();
  const report: ObjectReport = { name: sync.name, object: sync.object, ...emptyCounts(), failures: [], requests: 0, durationMs: 0 };
  if (ctx.dryRun) report.preview = [];
  const fail = (key: string, reason: string) => {
    report.failed++;
    if (report.failures.length < MAX_FAILURES) report.failures.push({ key, reason });
  };
  const progress = () => ctx.onProgress?.({ sync: sync.name, read: report.read, sent: report.inserted + report.updated + report.deleted, failed: report.failed, elapsedMs: Date.now() - started });
  const onResult = (r: BatchResult) => {
    report.inserted += r.inserted;
    report.updated += r.updated;
    report.deleted += r.deleted;
    report.requests += r.requests;
    for (const f of r.failures) fail(f.key, f.reason);
    progress();
  };
  const endpoint = ENDPOINTS[sync.object];
  const sender = createBatchSender({ send: ctx.send, endpoint, region: ctx.region, state: ctx.state, sync: sync.name, concurrency: ctx.concurrency, deliver: ctx.deliver, beforeCommit: ctx.beforeCommit, onResult });
  const map = createRowMapper(sync, ctx.mixpanel);
  const seen = createSeenKeys();
  const aborted = () => {
    if (ctx.signal?.aborted) throw new SyncError('aborted', [sync.name]);
  };
  const rows = ctx.source.query(sync.query)[Symbol.asyncIterator]();
  // Only the source's own errors are query errors (and may hold a password); a batch's error passes as it is.
  const nextRow = async () => {
    try {
      return await rows.next();
    } catch (error) {
      if (error instanceof SyncError) throw error;
      throw new SyncError('source_query', [`${sync.name}: ${redactText((error as Error).message, ctx.secrets)}`]);
    }
  };
  // Rows are compared with the state a chunk at a time: one query per chunk, not one per row.
  const chunk: MapResult[] = [];
  const processChunk = async () => {
    const results = chunk.splice(0);
    const keyed = results.filter((r) => r.ok || r.key !== '');
    const duplicate = seen.addMany(keyed.map((r) => (r.ok ? r.record.key : r.key)));
    const previous = ctx.state.getMany(sync.name, keyed.flatMap((r) => (r.ok ? [r.record.key] : [])));
    let k = 0;
    for (const result of results) {
      // Failed rows are still seen, so a profile whose row is merely invalid this run is not deleted.
      const isDuplicate = result.ok || result.key !== '' ? duplicate[k++] : false;
      if (!result.ok) {
        fail(result.key, result.reason);
        continue;
      }
      const { key, hash, bodies, preview } = result.record;
      if (isDuplicate) {
        fail(key, RECORD_ERRORS.duplicate_key(key));
        continue;
      }
      const before = previous.get(key);
      if (!ctx.full && before?.hash === hash && before.error === null) {
        report.unchanged++;
        continue;
      }
      // An update when Mixpanel has some version of it; a record that only ever failed is still new.
      const kind = before?.hash ? 'update' : 'insert';
      if (ctx.dryRun) {
        if (report.preview!.length < ctx.previewCount) report.preview!.push(...preview);
        report[kind === 'insert' ? 'inserted' : 'updated']++;
        continue;
      }
      await sender.add({ kind, key, hash, bodies });
    }
  };
  try {
    for (let next = await nextRow(); !next.done; next = await nextRow()) {
      aborted();
      if (++report.read % PROGRESS_EVERY === 0) progress();
      chunk.push(map(next.value));
      if (chunk.length >= CHUNK_ROWS) await processChunk();
    }
    await processChunk();
    await sender.flush();
    if (sync.deletes) {
      for (let after = '', keys: string[]; (keys = ctx.state.keysAfter(sync.name, after, DELETE_PAGE)).length > 0; after = keys[keys.length - 1]!) {
        for (const key of keys) {
          if (seen.has(key)) continue;
          aborted();
          if (ctx.dryRun) report.deleted++;
          else await sender.add({ kind: 'delete', key, hash: '', bodies: [JSON.stringify(deleteBody(sync, key, ctx.mixpanel.token))] });
        }
      }
      await sender.flush();
    }
  } finally {
    // Stopped early (an error, an abort): end the query (closes a cursor) and let batches in flight finish.
    await rows.return?.().catch(() => undefined);
    await sender.settle();
    seen.close();
  }
  report.durationMs = Date.now() - started;
  progress();
  return report;
}
