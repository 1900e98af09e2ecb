import { isAbsolute, resolve } from 'node:path';
import { isPlainObject } from '@tally/core';
import { resolveMixpanelSettings, type Region } from '@tally/mixpanel';
import { readColumns, readFieldMap, readValueSource, type ValueSource } from './config-fields.js';
import { SyncError } from './errors.js';

/** What a sync writes: events (/import), user profiles (/engage) or group profiles (/groups). */
export type ObjectKind = 'event' | 'user' | 'group';

/** One query and how its rows become one kind of Mixpanel object. */
export interface SyncObject {
  /** Unique; names the object's sync state (renaming it starts from scratch). */
  name: string;
  object: ObjectKind;
  query: string;
  /** Columns whose values identify a row across runs (events; users and groups use their ids). */
  key: string[];
  /** Events: name (a constant by default). */
  event?: ValueSource;
  /** Events: seconds or milliseconds since epoch, or a date. */
  time?: ValueSource;
  /** Events: `$insert_id`; absent: derived from the key columns. */
  insertId?: ValueSource;
  /** Events and users. */
  distinctId?: ValueSource;
  /** Groups: the group key (a constant by default, e.g. `company`) and id. */
  groupKey?: ValueSource;
  groupId?: ValueSource;
  /** Event properties, or profile `$set` properties (Mixpanel name → source). */
  fields: Record<string, ValueSource>;
  /** Users: `$set_once` properties. */
  setOnce: Record<string, ValueSource>;
  /** Users and groups: `$delete` profiles whose rows disappeared. */
  deletes: boolean;
}

/** Mixpanel project access. Secrets come from the file or, better, the environment. */
export interface SyncMixpanel {
  token: string;
  apiSecret?: string;
  serviceAccount?: { username: string; secret: string };
  projectId?: string;
  region: Region;
  /** A base URL for every region (the emulator, a relay); the region is appended as `/us`, `/eu`, `/in`. */
  apiUrl?: string;
}

/** A validated sync configuration. */
export interface SyncConfig {
  /** Source URL (`sqlite:path`, `postgres://…`); may hold a password: show it only through `redactUrl`. */
  source: string;
  /** Directory relative paths in the config resolve against (the config file's). */
  baseDir: string;
  /** The SQLite file holding what the last runs delivered. */
  state: string;
  mixpanel: SyncMixpanel;
  syncs: SyncObject[];
}

/** The environment variables read, and the field each fills (they win over the file). */
export const ENV_FIELDS = {
  TALLY_SYNC_SOURCE: 'source',
  TALLY_SYNC_STATE: 'state',
  MIXPANEL_TOKEN: 'mixpanel.token',
  MIXPANEL_API_SECRET: 'mixpanel.apiSecret',
  MIXPANEL_SERVICE_ACCOUNT_USERNAME: 'mixpanel.serviceAccount.username',
  MIXPANEL_SERVICE_ACCOUNT_SECRET: 'mixpanel.serviceAccount.secret',
  MIXPANEL_PROJECT_ID: 'mixpanel.projectId',
  MIXPANEL_REGION: 'mixpanel.region',
  MIXPANEL_API_URL: 'mixpanel.apiUrl',
} as const;

const TOP = new Set(['source', 'state', 'mixpanel', 'syncs']);
const MIXPANEL_FIELDS = new Set(['token', 'apiSecret', 'serviceAccount', 'projectId', 'region', 'apiUrl']);
const OBJECT_FIELDS: Record<ObjectKind, string[]> = {
  event: ['event', 'time', 'distinctId', 'insertId', 'key', 'properties'],
  user: ['distinctId', 'set', 'setOnce', 'deletes'],
  group: ['groupKey', 'groupId', 'set', 'deletes'],
};

/** Copies environment values over the file's (a shallow path set, creating objects on the way). */
function overlayEnv(input: Record<string, unknown>, env: Record<string, string | undefined>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...input, mixpanel: isPlainObject(input.mixpanel) ? { ...input.mixpanel } : input.mixpanel ?? {} };
  for (const [name, path] of Object.entries(ENV_FIELDS)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const parts = path.split('.');
    let target = out;
    for (const part of parts.slice(0, -1)) {
      if (!isPlainObject(target[part])) target[part] = {};
      else target[part] = { ...(target[part] as object) };
      target = target[part] as Record<string, unknown>;
    }
    target[parts[parts.length - 1]!] = value;
  }
  return out;
}

function readMixpanel(input: unknown, errors: string[]): SyncMixpanel {
  const m = isPlainObject(input) ? input : {};
  if (!isPlainObject(input)) errors.push('mixpanel: required, an object with token and credentials');
  for (const key of Object.keys(m)) if (!MIXPANEL_FIELDS.has(key)) errors.push(`mixpanel.${key}: unknown field`);
  const { apiUrl, ...rest } = m;
  if (typeof rest.projectId === 'number') rest.projectId = String(rest.projectId);
  const resolved = resolveMixpanelSettings(rest, { side: 'cloud' });
  if (!resolved.ok) errors.push(...resolved.errors.map((e) => `mixpanel.${e}`));
  const out: SyncMixpanel = { token: resolved.ok ? resolved.settings.token : '', region: resolved.ok ? resolved.settings.region : 'us' };
  if (resolved.ok) {
    const { apiSecret, serviceAccount, projectId } = resolved.settings;
    Object.assign(out, apiSecret && { apiSecret }, serviceAccount && { serviceAccount }, projectId && { projectId });
  }
  if (apiUrl !== undefined) {
    if (typeof apiUrl === 'string' && /^https?:\/\/[^\s]+$/.test(apiUrl)) out.apiUrl = apiUrl.replace(/\/+$/, '');
    else errors.push('mixpanel.apiUrl: must be an http(s) URL');
  }
  return out;
}

function readObject(input: unknown, at: string, errors: string[]): SyncObject | undefined {
  if (!isPlainObject(input)) {
    errors.push(`${at}: must be an object with name, object, query and a mapping`);
    return undefined;
  }
  const kind = input.object;
  if (kind !== 'event' && kind !== 'user' && kind !== 'group') {
    errors.push(`${at}.object: must be event, user or group`);
    return undefined;
  }
  const name = typeof input.name === 'string' ? input.name : '';
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) errors.push(`${at}.name: required, letters, digits, _ . - (it names the sync state)`);
  const query = typeof input.query === 'string' ? input.query.trim() : '';
  if (!query) errors.push(`${at}.query: required, the SQL query that selects the rows`);
  const known = new Set(['name', 'object', 'query', ...OBJECT_FIELDS[kind]]);
  for (const key of Object.keys(input)) if (!known.has(key)) errors.push(`${at}.${key}: unknown field for object ${kind}`);
  const required = (field: string, plain: 'column' | 'value' = 'column'): ValueSource | undefined =>
    input[field] === undefined ? (errors.push(`${at}.${field}: required for object ${kind}`), undefined) : readValueSource(input[field], `${at}.${field}`, errors, plain);
  const deletes = input.deletes ?? false;
  if (typeof deletes !== 'boolean') errors.push(`${at}.deletes: must be true or false`);
  const out: SyncObject = { name, object: kind, query, key: [], fields: readFieldMap(input.set ?? input.properties, `${at}.${kind === 'event' ? 'properties' : 'set'}`, errors), setOnce: readFieldMap(input.setOnce, `${at}.setOnce`, errors), deletes: deletes === true };
  if (kind === 'event') {
    Object.assign(out, { event: required('event', 'value'), time: required('time'), distinctId: required('distinctId') });
    if (input.insertId !== undefined) out.insertId = readValueSource(input.insertId, `${at}.insertId`, errors);
    const key = readColumns(input.key, `${at}.key`, errors);
    const insertColumn = out.insertId && 'column' in out.insertId ? out.insertId.column : undefined;
    if (key) out.key = key;
    else if (insertColumn) out.key = [insertColumn];
    else if (input.key === undefined) errors.push(`${at}.key: required for events without an insertId column (the columns that identify a row)`);
  } else if (kind === 'user') {
    out.distinctId = required('distinctId');
  } else {
    Object.assign(out, { groupKey: required('groupKey', 'value'), groupId: required('groupId') });
  }
  return out;
}

/**
 * Validates a sync configuration (as parsed from JSON or YAML) with the environment laid over
 * it; throws a `config_invalid` {@link SyncError} with one line per bad field.
 * @example resolveSyncConfig(YAML.parse(text), { env: process.env, baseDir: dirname(file) })
 */
export function resolveSyncConfig(input: unknown, options: { env?: Record<string, string | undefined>; baseDir?: string; defaultState?: string } = {}): SyncConfig {
  const errors: string[] = [];
  if (!isPlainObject(input)) throw new SyncError('config_invalid', ['the config must be an object with source, mixpanel and syncs']);
  const raw = overlayEnv(input, options.env ?? {});
  const baseDir = options.baseDir ?? process.cwd();
  for (const key of Object.keys(raw)) if (!TOP.has(key)) errors.push(`${key}: unknown field`);
  const source = typeof raw.source === 'string' ? raw.source.trim() : '';
  if (!source) errors.push('source: required, a URL such as sqlite:customers.db or postgres://user@host/db (or TALLY_SYNC_SOURCE, --source)');
  const statePath = raw.state ?? options.defaultState ?? 'tally-sync.state.sqlite';
  if (typeof statePath !== 'string' || statePath === '') errors.push('state: must be a file path');
  const mixpanel = readMixpanel(raw.mixpanel, errors);
  const syncs: SyncObject[] = [];
  if (!Array.isArray(raw.syncs) || raw.syncs.length === 0) errors.push('syncs: required, a list of objects to sync');
  else raw.syncs.forEach((item, i) => {
    const object = readObject(item, `syncs[${i}]`, errors);
    if (object && syncs.some((s) => s.name === object.name)) errors.push(`syncs[${i}].name: ${object.name} is used twice`);
    if (object) syncs.push(object);
  });
  if (errors.length) throw new SyncError('config_invalid', errors);
  const state = String(statePath);
  return { source, baseDir, state: isAbsolute(state) ? state : resolve(baseDir, state), mixpanel, syncs };
}
