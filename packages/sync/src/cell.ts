import { RECORD_ERRORS } from './errors.js';

/**
 * A driver's value as a plain JSON-friendly value: binary as base64 (JSON has no bytes),
 * invalid dates as null. Dates and bigints stay for the mapping, which writes ISO text and
 * decimal strings.
 */
export function cell(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (value instanceof Date && Number.isNaN(value.getTime())) return null;
  return value;
}

/** A key or id value as text; undefined for null, undefined and empty strings. */
export function idText(value: unknown): string | undefined {
  const v = cell(value);
  if (v === null || v === undefined || v === '') return undefined;
  if (v instanceof Date) return v.toISOString();
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

// Mixpanel reads `time` above 1e11 as milliseconds: as seconds it would be past year 5000.
const MS_THRESHOLD = 1e11;

/**
 * An event time in ms since epoch from seconds, milliseconds, a numeric string (pg's bigint
 * and numeric), a date, or date text; throws the reason otherwise.
 */
export function timeMs(value: unknown): number {
  let n: number = NaN;
  if (value instanceof Date) n = value.getTime();
  else if (typeof value === 'number' || typeof value === 'bigint') n = Number(value);
  else if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) n = Number(value);
  else if (typeof value === 'string') n = Date.parse(value);
  if (!Number.isFinite(n)) throw new Error(RECORD_ERRORS.invalid_time(JSON.stringify(value) ?? String(value)));
  return n < MS_THRESHOLD ? Math.round(n * 1000) : Math.round(n);
}
