import type { JsonObject, MessageType } from '@tally/core';
import type { CallOptions } from './types.js';
import type { WarningKey } from './warnings.js';

/** A call's arguments sorted out of Segment's overloads. */
export interface Parsed {
  /** Event name (track), page/screen name, or user/group id (identify, group, alias). */
  name?: string;
  /** Page/screen category, or alias's previous id. */
  extra?: string;
  /** Properties or traits, as given (copied later). */
  props?: JsonObject;
  options?: CallOptions;
}

const isNil = (v: unknown): v is null | undefined => v === null || v === undefined;
const isString = (v: unknown): v is string => typeof v === 'string';
const isId = (v: unknown): v is string | number => (isString(v) && !!v.trim()) || Number.isFinite(v);

// From `from` on: properties/traits, then options; null or undefined hold a place; the callback
// (any function) ends the list.
function tail(args: unknown[], from: number, out: Parsed): Parsed | WarningKey {
  for (let i = from; i < args.length && typeof args[i] !== 'function'; i++) {
    const v = args[i];
    if (isNil(v)) continue;
    if (i - from > 1 || typeof v !== 'object' || Array.isArray(v)) return i > from ? 'options' : 'props';
    out[i > from ? 'options' : 'props'] = v as JsonObject;
  }
  return out;
}

/** `page([category], [name], [properties], [options], [callback])`, and `screen` alike. */
function page(args: unknown[]): Parsed | WarningKey {
  const [a, b] = args;
  if (isString(b) && (isString(a) || isNil(a))) return tail(args, 2, { name: b || undefined, extra: a || undefined });
  // page(name, null, properties): the null holds the name's place.
  if (isString(a)) return tail(args, isNil(b) ? 2 : 1, { name: a || undefined });
  return tail(args, isNil(a) && isNil(b) ? 2 : 0, {});
}

/** `identify([userId], [traits], [options], [callback])`, and `group` alike. */
function identify(args: unknown[]): Parsed | WarningKey {
  const [id] = args;
  if (isId(id)) return tail(args, 1, { name: String(id) });
  // identify(null, traits): the null holds the id's place.
  if (isNil(id)) return tail(args, 1, {});
  return typeof id === 'object' || typeof id === 'function' ? tail(args, 0, {}) : 'id';
}

/** Argument parsers per call; each returns the parsed call or the key of what was wrong. */
export const PARSERS: Record<MessageType, (args: unknown[]) => Parsed | WarningKey> = {
  /** `track(event, [properties], [options], [callback])`. */
  track(args) {
    const [event] = args;
    return isString(event) && event.trim() ? tail(args, 1, { name: event }) : 'event';
  },
  page,
  screen: page,
  identify,
  group: identify,
  /** `alias(userId, [previousId], [options], [callback])`; options may sit in the previous id's place. */
  alias([to, from, options]) {
    if (!isId(to)) return 'id';
    const out: Parsed = { name: String(to) };
    if (isId(from)) out.extra = String(from);
    else if (!isNil(from)) options = from;
    if (isNil(options) || typeof options === 'function') return out;
    return typeof options === 'object' ? ((out.options = options as CallOptions), out) : 'options';
  },
};
