import type { JsonObject } from '@tally/core';
import { mapToCloud, resolveMixpanelSettings, type MixpanelSettings } from '@tally/mixpanel';
import { cell, idText, timeMs } from './cell.js';
import type { ObjectKind, SyncMixpanel, SyncObject } from './config.js';
import type { ValueSource } from './config-fields.js';
import { RECORD_ERRORS, SyncError } from './errors.js';
import { fingerprint } from './hash.js';
import { profileBodies } from './profile-bodies.js';
import type { Row } from './source.js';

/** The Mixpanel endpoint each object kind is written to. */
export const ENDPOINTS = { event: 'import', user: 'engage', group: 'groups' } as const satisfies Record<ObjectKind, string>;

/** One row as Mixpanel records: the state key, the JSON texts to send (in order) and their hash. */
export interface MappedRecord {
  key: string;
  bodies: string[];
  hash: string;
  /** The mapped records, for `--dry-run`. */
  preview: JsonObject[];
}

/** A row mapped, or why it cannot be (its key when known, so the failure is recorded against it). */
export type MapResult = { ok: true; record: MappedRecord } | { ok: false; key: string; reason: string };

/** Maps rows of one sync to Mixpanel records. */
export type RowMapper = (row: Row) => MapResult;

const LIBRARY = { name: 'tally-sync' };

const read = (source: ValueSource | undefined, row: Row): unknown =>
  source === undefined ? undefined : 'column' in source ? row[source.column] : source.value;

/** Every column a sync reads, with the config field that names it (for the missing-column error). */
function columnsOf(sync: SyncObject, at: string): Array<[string, string]> {
  const out: Array<[string, string]> = sync.key.map((c) => [`${at}.key`, c]);
  const single = { event: sync.event, time: sync.time, insertId: sync.insertId, distinctId: sync.distinctId, groupKey: sync.groupKey, groupId: sync.groupId };
  for (const [field, source] of Object.entries(single)) if (source && 'column' in source) out.push([`${at}.${field}`, source.column]);
  const maps = { [sync.object === 'event' ? 'properties' : 'set']: sync.fields, setOnce: sync.setOnce };
  for (const [field, map] of Object.entries(maps)) {
    for (const [name, source] of Object.entries(map)) if ('column' in source) out.push([`${at}.${field}.${name}`, source.column]);
  }
  return out;
}

const hashOf = (bodies: string[]): string => fingerprint(bodies.length === 1 ? bodies[0]! : bodies.join('\n'));

/**
 * Builds the row mapper of one sync. Records go through the Mixpanel mapping (`mapToCloud`), so
 * sync output follows the same rules as the SDK's: reserved trait names (`email` → `$email`),
 * `$insert_id` via `toInsertId`, property cleaning, time window, placeholder ids, the 1 MB limit.
 * The first row's columns are checked against the mapping (a `column_missing` error names the field).
 */
export function createRowMapper(sync: SyncObject, mixpanel: SyncMixpanel, at = sync.name): RowMapper {
  const resolved = resolveMixpanelSettings({
    token: mixpanel.token,
    people: sync.object === 'user',
    setOnceProperties: Object.keys(sync.setOnce),
  });
  if (!resolved.ok) throw new SyncError('config_invalid', resolved.errors.map((e) => `mixpanel.${e}`));
  const settings: MixpanelSettings = resolved.settings;
  let checked = false;

  // `withNulls`: a null `$set` column becomes `$unset`; a null `$set_once` column has nothing to set.
  const fields = (map: Record<string, ValueSource>, row: Row, withNulls = true): JsonObject => {
    const out: JsonObject = {};
    for (const [name, source] of Object.entries(map)) {
      const value = cell(read(source, row));
      if (value !== undefined && (withNulls || value !== null)) out[name] = value as JsonObject[string];
    }
    return out;
  };

  const mapEvent = (row: Row, key: string): MapResult => {
    const name = idText(read(sync.event, row));
    if (name === undefined) return { ok: false, key, reason: RECORD_ERRORS.missing_value('event') };
    let time: number;
    try {
      time = timeMs(read(sync.time, row));
    } catch (error) {
      return { ok: false, key, reason: (error as Error).message };
    }
    const messageId = idText(read(sync.insertId, row)) ?? `${sync.name}:${key}`;
    const message = {
      type: 'track', event: name, userId: idText(read(sync.distinctId, row)), messageId,
      timestamp: new Date(time).toISOString(), properties: fields(sync.fields, row), context: { library: LIBRARY },
    };
    const result = mapToCloud(message, settings, Date.now());
    if (!result.ok) return { ok: false, key, reason: result.rejection.message };
    const body = result.operations.find((op) => op.endpoint === 'import')?.body;
    if (!body) return { ok: false, key, reason: RECORD_ERRORS.missing_value('event') };
    const bodies = [JSON.stringify(body)];
    return { ok: true, record: { key, bodies, hash: hashOf(bodies), preview: [body] } };
  };

  // Profile updates carry no time, but the mapping wants a message timestamp: now, refreshed each second.
  let nowMs = 0;
  let nowIso = '';
  const mapProfile = (key: string, message: JsonObject): MapResult => {
    const now = Date.now();
    if (now - nowMs > 1_000) nowIso = new Date((nowMs = now)).toISOString();
    message.messageId = 'tally-sync';
    message.timestamp = nowIso;
    const result = mapToCloud(message, settings, now);
    if (!result.ok) return { ok: false, key, reason: result.rejection.message };
    const preview = profileBodies(sync.object === 'user' ? 'engage' : 'groups', result.operations);
    const bodies = preview.map((body) => JSON.stringify(body));
    return { ok: true, record: { key, bodies, hash: hashOf(bodies), preview } };
  };

  return (row) => {
    if (!checked) {
      const missing = columnsOf(sync, at).filter(([, column]) => !(column in row));
      const have = Object.keys(row).join(', ');
      if (missing.length) throw new SyncError('column_missing', missing.map(([field, column]) => `${field}: column "${column}" (the query returns: ${have})`));
      checked = true;
    }
    if (sync.object === 'event') return mapEvent(row, JSON.stringify(sync.key.map((c) => idText(row[c]) ?? null)));
    if (sync.object === 'user') {
      const id = idText(read(sync.distinctId, row));
      if (id === undefined) return { ok: false, key: '', reason: RECORD_ERRORS.missing_value('distinctId') };
      const traits = { ...fields(sync.fields, row), ...fields(sync.setOnce, row, false) };
      // `ip: '0'`: the sync server's address must never geolocate a user; `active: false` → `$ignore_time`.
      return mapProfile(id, { type: 'identify', userId: id, traits, context: { ip: '0', active: false, library: LIBRARY } });
    }
    const groupKey = idText(read(sync.groupKey, row));
    const groupId = idText(read(sync.groupId, row));
    if (groupKey === undefined || groupId === undefined) return { ok: false, key: '', reason: RECORD_ERRORS.missing_value(groupKey === undefined ? 'groupKey' : 'groupId') };
    const traits = { ...fields(sync.fields, row), groupKey };
    return mapProfile(JSON.stringify([groupKey, groupId]), { type: 'group', anonymousId: 'tally-sync', groupId, traits });
  };
}
