import { MAX_NESTING_DEPTH, MAX_PROPERTIES, MAX_STRING_LENGTH } from './limits.js';
import { MESSAGES } from './messages.js';

/** A per-record validation failure, shaped like an /import `failed_records` entry. */
export interface FieldError {
  field: string;
  message: string;
}

type Result<T> = { ok: true; value: T } | { ok: false; error: FieldError };

const isWellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

/** True for a JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Cuts a string to 255 characters: Mixpanel truncates long strings rather than rejecting them (Import Events, Common Issues). */
export function truncate(s: string): string {
  return s.length > MAX_STRING_LENGTH ? s.slice(0, MAX_STRING_LENGTH) : s;
}

/**
 * Copies a JSON value into prototype-free objects (so a `__proto__` key stays a plain key),
 * truncating strings and keys, and enforcing "fewer than 255 keys/items" and "max nesting depth 3"
 * (Import Events, High-level requirements).
 */
export function sanitizeValue(value: unknown, field: string, depth: number): Result<unknown> {
  if (typeof value === 'string') {
    if (!isWellFormed(value)) return { ok: false, error: { field, message: MESSAGES.notUtf8(field) } };
    return { ok: true, value: truncate(value) };
  }
  if (value === null || typeof value !== 'object') return { ok: true, value };
  if (depth + 1 > MAX_NESTING_DEPTH) return { ok: false, error: { field, message: MESSAGES.tooDeep(field) } };
  if (Array.isArray(value)) {
    if (value.length > MAX_PROPERTIES) return { ok: false, error: { field, message: MESSAGES.tooManyKeys(field, value.length) } };
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      const item = sanitizeValue(value[i], field, depth + 1);
      if (!item.ok) return item;
      out.push(item.value);
    }
    return { ok: true, value: out };
  }
  const keys = Object.keys(value);
  if (keys.length > MAX_PROPERTIES) return { ok: false, error: { field, message: MESSAGES.tooManyKeys(field, keys.length) } };
  const out = copyObject(value as Record<string, unknown>, field, depth + 1);
  return out;
}

function copyObject(source: Record<string, unknown>, field: string, depth: number): Result<Record<string, unknown>> {
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    if (!isWellFormed(key)) return { ok: false, error: { field, message: MESSAGES.notUtf8(field) } };
    const item = sanitizeValue(source[key], field, depth);
    if (!item.ok) return item;
    out[truncate(key)] = item.value;
  }
  return { ok: true, value: out };
}

/** Sanitizes an event's or update's top-level properties object (fewer than 255 properties). */
export function sanitizeProperties(properties: Record<string, unknown>, prefix: string): Result<Record<string, unknown>> {
  const keys = Object.keys(properties);
  if (keys.length > MAX_PROPERTIES) {
    return { ok: false, error: { field: prefix, message: MESSAGES.tooManyProperties(keys.length) } };
  }
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of keys) {
    const field = `${prefix}.${truncate(key)}`;
    if (!isWellFormed(key)) return { ok: false, error: { field, message: MESSAGES.notUtf8(field) } };
    const item = sanitizeValue(properties[key], field, 0);
    if (!item.ok) return item;
    out[truncate(key)] = item.value;
  }
  return { ok: true, value: out };
}

/** Bytes of a value's JSON; Infinity when it cannot be serialised (hostile nesting overflows the stack). */
export function jsonBytes(value: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(value));
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** Deeper than this, {@link jsonBytesBound} gives up and leaves the answer to JSON.stringify. */
const BOUND_MAX_DEPTH = 64;

/**
 * An upper bound of a value's JSON bytes from one walk without serialising: a UTF-16 unit is at
 * most 6 bytes in JSON (`\uXXXX`), a number at most 24 characters, plus quotes, colons and commas.
 * Infinity for anything that is not plain parsed JSON (a prototype, `toJSON`, a bigint, deep nesting),
 * so the caller measures exactly.
 */
function jsonBytesBound(root: unknown): number {
  const values: unknown[] = [root];
  const depths: number[] = [0];
  let bound = 0;
  while (values.length > 0) {
    const value = values.pop();
    const depth = depths.pop() as number;
    switch (typeof value) {
      case 'string':
        bound += value.length * 6 + 3;
        continue;
      case 'number':
        bound += 25;
        continue;
      case 'boolean':
      case 'undefined':
        bound += 10;
        continue;
      case 'object':
        break;
      default:
        return Number.POSITIVE_INFINITY;
    }
    if (value === null) {
      bound += 5;
      continue;
    }
    if (depth >= BOUND_MAX_DEPTH) return Number.POSITIVE_INFINITY;
    bound += 3;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        values.push(value[i]);
        depths.push(depth + 1);
      }
      continue;
    }
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return Number.POSITIVE_INFINITY;
    for (const key of Object.keys(value)) {
      bound += key.length * 6 + 4;
      values.push((value as Record<string, unknown>)[key]);
      depths.push(depth + 1);
    }
  }
  return bound;
}

/**
 * Whether a value's JSON is over `limit` bytes, as {@link jsonBytes} would say. The bound answers
 * records far below the limit without serialising them (JSON.stringify of every record was ~4% of
 * the emulator's CPU under the proxy bench); near or over it, the JSON is measured exactly.
 */
export function jsonBytesOver(value: unknown, limit: number): boolean {
  return jsonBytesBound(value) > limit && jsonBytes(value) > limit;
}
