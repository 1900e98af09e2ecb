import { MAX_RECORD_BYTES } from './limits.js';
import { MESSAGES } from './messages.js';
import { isPlaceholderId } from './placeholder-ids.js';
import { isObject, jsonBytesOver, sanitizeProperties, truncate, type FieldError } from './sanitize.js';

/** A profile operation: one per update (MIXPANEL.md §4; how mixpanel.js sends them). */
export type Operation = '$set' | '$set_once' | '$add' | '$append' | '$union' | '$remove' | '$unset' | '$delete';

// User profiles take all eight; group profiles no $add/$append (Group Profiles API pages).
const USER_OPS: readonly Operation[] = ['$set', '$set_once', '$add', '$append', '$union', '$remove', '$unset', '$delete'];
const GROUP_OPS: readonly Operation[] = ['$set', '$set_once', '$union', '$remove', '$unset', '$delete'];

/** A validated /engage or /groups update. */
export interface ProfileUpdate {
  token: string;
  distinctId?: string;
  groupKey?: string;
  groupId?: string;
  op: Operation;
  value: unknown;
  ignoreAlias: boolean;
  ignoreTime: boolean;
  ip: string | undefined;
}

export type UpdateCheck = { ok: true; update: ProfileUpdate } | { ok: false; error: FieldError };

const fail = (field: string, message: string): UpdateCheck => ({ ok: false, error: { field, message } });

function checkValue(op: Operation, value: unknown): FieldError | { value: unknown } {
  if (op === '$delete') return { value: null };
  if (op === '$unset') {
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
      return { field: op, message: MESSAGES.operationValue(op, 'a list of property names') };
    }
    return { value: value.map((v) => truncate(v as string)) };
  }
  if (!isObject(value)) return { field: op, message: MESSAGES.operationValue(op, 'a JSON object') };
  const clean = sanitizeProperties(value, op);
  if (!clean.ok) return clean.error;
  for (const [key, v] of Object.entries(clean.value)) {
    if (op === '$add' && (typeof v !== 'number' || !Number.isFinite(v))) return { field: `${op}.${key}`, message: MESSAGES.addNotNumber(key) };
    if (op === '$union' && !Array.isArray(v)) return { field: `${op}.${key}`, message: MESSAGES.operationValue(op, 'an object of lists') };
  }
  return { value: clean.value };
}

/** Validates one update record for /engage (`kind` user) or /groups (`kind` group). */
export function validateUpdate(record: unknown, kind: 'user' | 'group'): UpdateCheck {
  if (!isObject(record)) return fail('', MESSAGES.notAnObject);
  if (jsonBytesOver(record, MAX_RECORD_BYTES)) return fail('', MESSAGES.recordTooLarge);
  const token = record['$token'];
  if (typeof token !== 'string' || token === '') return fail('$token', MESSAGES.updateTokenMissing);
  const allowed = kind === 'user' ? USER_OPS : GROUP_OPS;
  const present = Object.keys(record).filter((k) => (USER_OPS as readonly string[]).includes(k)) as Operation[];
  if (present.length !== 1) return fail('', MESSAGES.operationCount(present.length));
  const op = present[0] as Operation;
  if (!allowed.includes(op)) return fail(op, MESSAGES.operationUnsupported(op, kind === 'user' ? '/engage' : '/groups'));
  const checked = checkValue(op, record[op]);
  if ('field' in checked) return { ok: false, error: checked };
  const ip = record['$ip'];
  const base = {
    token,
    op,
    value: checked.value,
    ignoreAlias: record['$ignore_alias'] === true,
    ignoreTime: record['$ignore_time'] === true,
    ip: typeof ip === 'string' || typeof ip === 'number' ? String(ip) : undefined,
  };
  if (kind === 'group') {
    const groupKey = record['$group_key'];
    const groupId = record['$group_id'];
    if (typeof groupKey !== 'string' || groupKey === '' || (typeof groupId !== 'string' && typeof groupId !== 'number') || groupId === '') {
      return fail('$group_key', MESSAGES.groupKeyMissing);
    }
    return { ok: true, update: { ...base, groupKey: truncate(groupKey), groupId: truncate(String(groupId)) } };
  }
  const distinctId = record['$distinct_id'];
  if (typeof distinctId !== 'string') return fail('$distinct_id', MESSAGES.updateDistinctIdMissing);
  if (isPlaceholderId(distinctId)) return fail('$distinct_id', MESSAGES.distinctIdPlaceholder(distinctId));
  return { ok: true, update: { ...base, distinctId: truncate(distinctId) } };
}

const sameValue = (a: unknown, b: unknown): boolean =>
  a === b || (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && JSON.stringify(a) === JSON.stringify(b));

/** Applies one operation (not `$delete`) to a profile's properties, as the Engage API describes each. */
export function applyOperation(props: Record<string, unknown>, op: Operation, value: unknown): void {
  if (op === '$unset') {
    for (const key of value as string[]) delete props[key];
    return;
  }
  if (op === '$delete') return;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const current = props[key];
    switch (op) {
      case '$set':
        props[key] = v;
        break;
      case '$set_once':
        if (!(key in props)) props[key] = v;
        break;
      case '$add':
        // "If the property is not present on the profile, the value will be added to 0."
        props[key] = (typeof current === 'number' ? current : 0) + (v as number);
        break;
      case '$append':
        if (current === undefined) props[key] = [v];
        else if (Array.isArray(current)) current.push(v);
        break;
      case '$union': {
        const list = Array.isArray(current) ? current : current === undefined ? [] : null;
        if (!list) break;
        for (const item of v as unknown[]) if (!list.some((x) => sameValue(x, item))) list.push(item);
        props[key] = list;
        break;
      }
      case '$remove':
        if (Array.isArray(current)) props[key] = current.filter((x) => !sameValue(x, v));
        break;
    }
  }
}
