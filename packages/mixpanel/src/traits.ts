import { isPlainObject, type JsonObject } from '@tally/core';

/**
 * Segment/RudderStack trait names → Mixpanel's reserved profile properties (Segment's
 * traitAliases plus RudderStack's MPIdentifyConfig). Sent whether or not a list names them.
 */
const SPECIAL: Record<string, string> = {
  created: '$created',
  createdAt: '$created',
  email: '$email',
  firstName: '$first_name',
  lastName: '$last_name',
  lastSeen: '$last_seen',
  name: '$name',
  username: '$username',
  phone: '$phone',
  avatar: '$avatar',
  city: '$city',
  'address.city': '$city',
  region: '$region',
  state: '$region',
  'address.state': '$region',
  'address.region': '$region',
  countryCode: '$country_code',
  'address.countryCode': '$country_code',
  timezone: '$timezone',
  unsubscribed: '$unsubscribed',
};

/** True when `o` has its own property `k` (not one from its prototype). */
export const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** The Mixpanel name for a trait path: its reserved name if it has one, else the path unchanged. */
export function traitName(path: string): string {
  return has(SPECIAL, path) ? SPECIAL[path]! : path;
}

/** The value at a dotted path (`address.city`) in an object, or undefined. */
export function getPath(source: unknown, path: string): unknown {
  let value: unknown = source;
  for (const part of path.split('.')) {
    if (!isPlainObject(value) || !has(value, part)) return undefined;
    value = value[part];
  }
  return value;
}

/**
 * Traits with special names renamed (`email` → `$email`) and nested special traits lifted
 * (`address.city` → `$city`, unless a top-level one exists). Order of the input is kept.
 */
export function mapTraits(traits: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(traits)) {
    const name = traitName(key);
    // `created` and `createdAt` both name `$created`: the first one wins.
    if (has(out, name) && name !== key) continue;
    out[name] = value;
  }
  for (const path of Object.keys(SPECIAL)) {
    if (!path.includes('.')) continue;
    const value = getPath(traits, path);
    const name = traitName(path);
    if (value !== undefined && value !== null && !has(out, name)) out[name] = value;
  }
  return out;
}

/** The subset of mapped traits named by a settings list (names as the user wrote them, or mapped). */
export function pickTraits(mapped: JsonObject, names: string[]): JsonObject {
  const out: JsonObject = {};
  for (const name of names) {
    const key = traitName(name);
    if (has(mapped, key)) out[key] = mapped[key];
  }
  return out;
}

/** The mapped traits that are Mixpanel reserved names (always sent to the profile). */
export function specialTraits(mapped: JsonObject): JsonObject {
  const reserved = new Set(Object.values(SPECIAL));
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(mapped)) if (reserved.has(key)) out[key] = value;
  return out;
}
