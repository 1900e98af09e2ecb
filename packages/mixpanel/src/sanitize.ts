import { isHostileKey, type JsonObject } from '@tally/core';
import { fail, type Warning } from './messages.js';

// Mixpanel Import Events: "max nesting depth is 3"; nested objects fewer than 255 keys, lists fewer than 255 items.
const MAX_DEPTH = 3;
const MAX_ITEMS = 254;
// Old mixpanel.js broke on a property named `length`; Segment's doc: `bucket` is hidden in the UI.
const RENAMES = new Map([['length', '_length'], ['bucket', '_bucket']]);

/**
 * `$`/`mp_` names a user may send because they are Mixpanel's own documented properties
 * (mixpanel.js `_.info.properties`, the mobile SDKs, reserved profile properties); other
 * names with those prefixes are Mixpanel's and are dropped.
 */
const KNOWN_RESERVED = new Set([
  '$current_url', '$referrer', '$referring_domain', '$initial_referrer', '$initial_referring_domain',
  '$os', '$os_version', '$browser', '$browser_version', '$device', '$model', '$manufacturer', '$brand',
  '$screen_width', '$screen_height', '$screen_dpi', '$carrier', '$radio', '$wifi', '$bluetooth_enabled',
  '$app_version_string', '$app_build_number', '$app_release', '$app_version', '$lib_version', 'mp_lib',
  '$city', '$region', 'mp_country_code', '$country_code', '$latitude', '$longitude', '$geo_source', '$timezone',
  '$duration', '$source', '$search_engine', 'mp_keyword', '$session_id',
  '$email', '$name', '$first_name', '$last_name', '$username', '$phone', '$avatar', '$created', '$last_seen',
  '$unsubscribed', '$ios_devices', '$android_devices', '$transactions',
]);

/** A user-supplied property name that Mixpanel reserves and does not document for users. */
export function isForbiddenName(key: string): boolean {
  return (key.startsWith('$') || key.startsWith('mp_')) && !KNOWN_RESERVED.has(key);
}

const SKIP = Symbol('skip');
const SURROGATES = /[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]/g;
// Most strings have no surrogate at all: one plain test is ~4× cheaper than a global replace.
const ANY_SURROGATE = /[\ud800-\udfff]/;

/** Lone UTF-16 surrogates replaced by U+FFFD: they are not UTF-8, and Mixpanel refuses such strings. */
export function wellFormed(text: string): string {
  return ANY_SURROGATE.test(text) ? text.replace(SURROGATES, (match) => (match[1] ? match : '\ufffd')) : text;
}

/** JSON-safe copy of a value; throws a `circular_structure` rejection on a cycle. */
function normalize(value: unknown, ancestors: object[]): unknown {
  switch (typeof value) {
    case 'string':
      return wellFormed(value);
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : SKIP;
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      return SKIP; // undefined, functions, symbols: JSON has no such value
  }
  if (value === null) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? SKIP : value.toISOString();
  if (ancestors.includes(value)) fail('circular_structure');
  ancestors.push(value);
  let out: unknown;
  if (Array.isArray(value)) {
    out = value.map((item) => {
      const v = normalize(item, ancestors);
      return v === SKIP ? null : v;
    });
  } else {
    const obj: JsonObject = {};
    for (const [k, item] of Object.entries(value)) {
      if (isHostileKey(k)) continue;
      const v = normalize(item, ancestors);
      if (v !== SKIP) obj[wellFormed(k)] = v;
    }
    out = obj;
  }
  ancestors.pop();
  return out;
}

/**
 * Fits a value to Mixpanel's shape limits: objects nested past 3 keys deep (counting the
 * property's own name; arrays add no level) become JSON strings, and lists and nested objects
 * keep their first 254 items (objects: in sorted-key order). Reports what it cut.
 */
function fitShape(value: unknown, keysDeep: number, cut: { deep: boolean; wide: boolean }): unknown {
  if (Array.isArray(value)) {
    if (value.length > MAX_ITEMS) cut.wide = true;
    return value.slice(0, MAX_ITEMS).map((v) => fitShape(v, keysDeep, cut));
  }
  if (value === null || typeof value !== 'object') return value;
  if (keysDeep >= MAX_DEPTH) {
    cut.deep = true;
    return JSON.stringify(value);
  }
  let keys = Object.keys(value);
  if (keys.length > MAX_ITEMS) {
    cut.wide = true;
    keys = keys.sort().slice(0, MAX_ITEMS);
  }
  const out: JsonObject = {};
  for (const k of keys) out[k] = fitShape((value as JsonObject)[k], keysDeep + 1, cut);
  return out;
}

/**
 * User properties made safe for Mixpanel: `length`/`bucket` renamed, unknown `$`/`mp_` names
 * dropped, non-JSON values dropped, nesting past 3 levels stringified, lists and nested objects cut
 * to 254 items. Each change is a warning.
 */
export function sanitizeProperties(input: JsonObject, warnings: Warning[]): JsonObject {
  const out: JsonObject = {};
  for (const [rawKey, rawValue] of Object.entries(input)) {
    if (isHostileKey(rawKey)) continue;
    const key = RENAMES.get(rawKey) ?? wellFormed(rawKey);
    if (key !== rawKey) warnings.push(['renamed', rawKey, key]);
    if (isForbiddenName(key)) {
      warnings.push(['reservedDropped', key]);
      continue;
    }
    const value = normalize(rawValue, []);
    if (value === SKIP) {
      if (rawValue !== undefined) warnings.push(['invalidValue', key]);
      continue;
    }
    const cut = { deep: false, wide: false };
    out[key] = fitShape(value, 1, cut);
    if (cut.deep) warnings.push(['tooDeep', key]);
    if (cut.wide) warnings.push(['tooWide', key]);
  }
  return out;
}
