import { createHash } from 'node:crypto';
import { json, type EmulatorResponse } from './http-types.js';
import { MAX_RECORDS_PER_REQUEST } from './limits.js';
import { MESSAGES } from './messages.js';
import type { ProjectRegistry } from './projects.js';
import { clientReply, forbidden, importError } from './replies.js';
import type { FieldError } from './sanitize.js';
import type { Store } from './store.js';
import type { IdentityMerge, ProjectConfig, Region } from './types.js';
import { validateEvent, type ValidEvent } from './validate-event.js';

/** What an ingestion call needs from the emulator. */
export interface IngestContext {
  store: Store;
  projects: ProjectRegistry;
  identityMerge: IdentityMerge;
  nowMs: number;
  region: Region;
  params: URLSearchParams;
  remoteAddress: string | undefined;
}

interface Failure extends FieldError {
  index: number;
  insert_id: string | null;
}

const flag = (params: URLSearchParams, name: string, fallback: boolean) => {
  const v = params.get(name);
  return v === null ? fallback : v === '1' || v === 'true';
};

function applyIdentity(ctx: IngestContext, e: ValidEvent, index: number, endpoint: 'track' | 'import'): void {
  const { identity } = ctx.store;
  let note: string | undefined;
  if (ctx.identityMerge === 'simplified') {
    note = identity.simplified(e.distinctId, e.properties['$device_id'], e.properties['$user_id']);
  } else {
    identity.touch(e.distinctId);
    const p = e.properties;
    if (e.event === '$identify' && typeof p['$anon_id'] === 'string' && p['$anon_id'] !== '') {
      const user = typeof p['$identified_id'] === 'string' && p['$identified_id'] !== '' ? p['$identified_id'] : e.distinctId;
      note = identity.identify(p['$anon_id'], user);
    } else if (e.event === '$create_alias' && typeof p['alias'] === 'string' && p['alias'] !== '') {
      note = identity.alias(p['alias'], e.distinctId);
    }
  }
  if (note) ctx.store.reject({ at: ctx.nowMs, endpoint, region: ctx.region, index, field: 'identity', reason: note, insertId: e.insertId, record: e.event });
}

/** Validates and stores a batch of events for /track (token per event) or /import (`project` from basic auth). */
function ingest(records: unknown[], ctx: IngestContext, endpoint: 'track' | 'import', authProject?: ProjectConfig) {
  const failures: Failure[] = [];
  let accepted = 0;
  let forbiddenCount = 0;
  const ipDistinctId =
    endpoint === 'track' && flag(ctx.params, 'ip', false) && ctx.remoteAddress
      ? createHash('sha256').update(ctx.remoteAddress).digest('hex').slice(0, 32)
      : undefined;
  records.forEach((record, index) => {
    const check = validateEvent(record, { endpoint, nowMs: ctx.nowMs, identityMerge: ctx.identityMerge, ipDistinctId });
    const reject = (field: string, reason: string, insertId: string | undefined, counts: boolean) => {
      ctx.store.reject({ at: ctx.nowMs, endpoint, region: ctx.region, index, field, reason, insertId, record });
      if (counts) failures.push({ index, insert_id: insertId ?? null, field, message: reason });
    };
    if (check.kind === 'invalid') return reject(check.error.field, check.error.message, check.insertId, true);
    let project = authProject;
    if (!project) {
      if (check.token === undefined) return reject('properties.token', MESSAGES.tokenMissing, undefined, true);
      project = ctx.projects.byToken(check.token);
      // "1 … does not signify a valid project token": the answer stays 1, the data goes nowhere.
      if (!project) {
        accepted++;
        return reject('properties.token', MESSAGES.unknownToken, check.kind === 'event' ? check.insertId : undefined, false);
      }
    }
    if (project.residency && project.residency !== ctx.region) {
      forbiddenCount++;
      return reject('region', MESSAGES.wrongResidency(ctx.region), check.kind === 'event' ? check.insertId : undefined, endpoint === 'import');
    }
    accepted++;
    if (check.kind === 'merge') {
      // Simplified ID Merge ignores $merge (docs: Identity Management, Simplified vs Original).
      if (ctx.identityMerge === 'original') ctx.store.identity.merge(check.ids);
      else reject('event', MESSAGES.operationUnsupported('$merge', 'Simplified ID Merge projects'), undefined, false);
      return;
    }
    if (check.tooOld) return reject('properties.time', MESSAGES.trackTooOld, check.insertId, false);
    ctx.store.events.add({
      receivedAt: ctx.nowMs,
      endpoint,
      region: ctx.region,
      projectId: project.projectId,
      event: check.event,
      distinctId: check.distinctId,
      time: check.time,
      insertId: check.insertId,
      properties: check.properties,
    });
    applyIdentity(ctx, check, index, endpoint);
  });
  return { failures, accepted, forbiddenCount };
}

/** POST /track: `1` when one or more records were well-formed, else `0` (ingestion spec, "Received"). */
export function handleTrack(records: unknown[], ctx: IngestContext): EmulatorResponse {
  const verbose = flag(ctx.params, 'verbose', false);
  if (records.length === 0) return clientReply(false, MESSAGES.noRecords, verbose);
  if (records.length > MAX_RECORDS_PER_REQUEST) return clientReply(false, MESSAGES.tooManyRecords(records.length, MAX_RECORDS_PER_REQUEST), verbose);
  const { failures, accepted, forbiddenCount } = ingest(records, ctx, 'track');
  if (accepted === 0 && forbiddenCount > 0) return forbidden(MESSAGES.wrongResidency(ctx.region));
  return clientReply(accepted > 0, failures[0]?.message ?? null, verbose);
}

/** POST /import (after basic auth): 200, or strict-mode 400 with `failed_records` (the valid records are kept). */
export function handleImport(records: unknown[], ctx: IngestContext, project: ProjectConfig): EmulatorResponse {
  if (records.length === 0) return importError(400, MESSAGES.noRecords);
  if (records.length > MAX_RECORDS_PER_REQUEST) return importError(400, MESSAGES.tooManyRecords(records.length, MAX_RECORDS_PER_REQUEST));
  const { failures, accepted } = ingest(records, ctx, 'import', project);
  // strict defaults to 1 on /import in the current docs.
  if (failures.length > 0 && flag(ctx.params, 'strict', true)) {
    return json(400, { code: 400, error: MESSAGES.someFailed, failed_records: failures, num_records_imported: accepted, status: 'Bad Request' });
  }
  return json(200, { code: 200, num_records_imported: accepted, status: 'OK' });
}
