import {
  INSERT_ID_PATTERN,
  MAX_FUTURE_S,
  MAX_RECORD_BYTES,
  MILLISECONDS_THRESHOLD,
  MIN_IMPORT_TIME_S,
  TRACK_MAX_AGE_S,
} from './limits.js';
import { MESSAGES } from './messages.js';
import { isPlaceholderId } from './placeholder-ids.js';
import { isObject, jsonBytesOver, sanitizeProperties, truncate, type FieldError } from './sanitize.js';
import type { IdentityMerge } from './types.js';

/** An event that passed validation, ready to store. */
export interface ValidEvent {
  kind: 'event';
  event: string;
  distinctId: string;
  time: number;
  insertId: string | undefined;
  token: string | undefined;
  properties: Record<string, unknown>;
  /** /track only: older than 5 days, so answered 1 and dropped. */
  tooOld: boolean;
}

/** A `$merge` identity event (merges clusters; not stored as an event). */
export interface MergeEvent {
  kind: 'merge';
  ids: string[];
  token: string | undefined;
}

export type EventCheck = ValidEvent | MergeEvent | { kind: 'invalid'; error: FieldError; insertId: string | undefined };

/** What validation needs to know about the request. */
export interface EventContext {
  endpoint: 'track' | 'import';
  nowMs: number;
  identityMerge: IdentityMerge;
  /** /track with `ip=1`: the distinct_id Mixpanel derives from the request IP when none is given. */
  ipDistinctId?: string | undefined;
}

const fail = (field: string, message: string, insertId?: unknown): EventCheck => ({
  kind: 'invalid',
  error: { field, message },
  insertId: typeof insertId === 'string' ? insertId : undefined,
});

/** Reads `time` as seconds: Mixpanel takes seconds or milliseconds since epoch (Import Events, properties.time). */
export function toSeconds(time: number): number {
  return time > MILLISECONDS_THRESHOLD ? time / 1000 : time;
}

/**
 * Validates one event record as /track or /import would, returning its stored form or the
 * failing field (Import Events, "Validation"; /track table "Last 5 days only").
 */
export function validateEvent(record: unknown, ctx: EventContext): EventCheck {
  if (!isObject(record)) return fail('', MESSAGES.notAnObject);
  const rawProps = record['properties'];
  const rawInsertId = isObject(rawProps) ? rawProps['$insert_id'] : undefined;
  const name = record['event'];
  if (typeof name !== 'string' || name === '') return fail('event', MESSAGES.eventMissing, rawInsertId);
  if (!isObject(rawProps)) return fail('properties', MESSAGES.propertiesMissing);
  const clean = sanitizeProperties(rawProps, 'properties');
  if (!clean.ok) return fail(clean.error.field, clean.error.message, rawInsertId);
  // Measured after the depth check, so hostile nesting is reported as such rather than as size.
  if (jsonBytesOver(record, MAX_RECORD_BYTES)) return fail('', MESSAGES.recordTooLarge, rawInsertId);
  const props = clean.value;
  const token = typeof props['token'] === 'string' ? props['token'] : undefined;

  if (name === '$merge') {
    const ids = props['$distinct_ids'];
    if (!Array.isArray(ids) || ids.length < 2 || !ids.every((id) => typeof id === 'string' && id !== '' && !isPlaceholderId(id))) {
      return fail('properties.$distinct_ids', MESSAGES.mergeIds, rawInsertId);
    }
    return { kind: 'merge', ids: ids as string[], token };
  }

  // time: required on /import; /track stamps the arrival time when it is missing.
  let time: number;
  const rawTime = props['time'];
  if (rawTime === undefined) {
    if (ctx.endpoint === 'import') return fail('properties.time', MESSAGES.timeRequired, rawInsertId);
    time = ctx.nowMs / 1000;
    props['time'] = time;
  } else {
    if (typeof rawTime !== 'number' || !Number.isFinite(rawTime) || rawTime < 0) {
      return fail('properties.time', MESSAGES.timeInvalid, rawInsertId);
    }
    time = toSeconds(rawTime);
  }
  const nowS = ctx.nowMs / 1000;
  if (ctx.endpoint === 'import' && (time < MIN_IMPORT_TIME_S || time > nowS + MAX_FUTURE_S)) {
    return fail('properties.time', MESSAGES.timeOutOfRange, rawInsertId);
  }
  const tooOld = ctx.endpoint === 'track' && time < nowS - TRACK_MAX_AGE_S;

  // distinct_id: on Simplified ID Merge it is derived from $user_id, else "$device:<$device_id>"
  // (docs: server-side events without a user); /track with ip=1 hashes the request IP.
  let distinctId = props['distinct_id'];
  if (distinctId === undefined) {
    const userId = props['$user_id'];
    const deviceId = props['$device_id'];
    if (ctx.identityMerge === 'simplified' && typeof userId === 'string' && userId !== '') distinctId = userId;
    else if (ctx.identityMerge === 'simplified' && typeof deviceId === 'string' && deviceId !== '') distinctId = `$device:${deviceId}`;
    else if (ctx.ipDistinctId !== undefined) distinctId = ctx.ipDistinctId;
    else return fail('properties.distinct_id', MESSAGES.distinctIdRequired, rawInsertId);
    props['distinct_id'] = distinctId;
  }
  if (typeof distinctId !== 'string') return fail('properties.distinct_id', MESSAGES.distinctIdType, rawInsertId);
  if (isPlaceholderId(distinctId)) return fail('properties.distinct_id', MESSAGES.distinctIdPlaceholder(distinctId), rawInsertId);

  // $insert_id: required on /import; wherever given it must be ≤ 36 bytes of [A-Za-z0-9-].
  const insertId = props['$insert_id'];
  if (insertId === undefined) {
    if (ctx.endpoint === 'import') return fail('properties.$insert_id', MESSAGES.insertIdRequired);
  } else {
    if (typeof insertId !== 'string' || !INSERT_ID_PATTERN.test(insertId)) {
      return fail('properties.$insert_id', MESSAGES.insertIdFormat, rawInsertId);
    }
    if (isPlaceholderId(insertId)) return fail('properties.$insert_id', MESSAGES.insertIdPlaceholder(insertId), insertId);
  }

  return {
    kind: 'event',
    event: truncate(name),
    distinctId,
    time,
    insertId: insertId as string | undefined,
    token,
    properties: props,
    tooOld,
  };
}
