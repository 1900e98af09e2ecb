import { isPlainObject } from '@tally/core';

/** Where a mapped value comes from: a column of the row, or a constant. */
export type ValueSource = { column: string } | { value: string | number | boolean };

type Scalar = string | number | boolean;
const isScalar = (v: unknown): v is Scalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/**
 * Reads a value source. `plain` says what a bare string means: a column (`distinctId: id`) or a
 * constant (`event: Order Placed`, `groupKey: company`, where a constant is the usual case).
 * `{ column: x }` and `{ value: x }` are always explicit.
 */
export function readValueSource(input: unknown, field: string, errors: string[], plain: 'column' | 'value' = 'column'): ValueSource | undefined {
  if (nonEmpty(input)) return plain === 'column' ? { column: input } : { value: input };
  if (isPlainObject(input)) {
    const keys = Object.keys(input);
    if (keys.length === 1 && nonEmpty(input.column)) return { column: input.column };
    if (keys.length === 1 && isScalar(input.value) && input.value !== '') return { value: input.value };
  }
  errors.push(`${field}: must be a column name, { column: name } or { value: constant }`);
  return undefined;
}

/** Reads a `field: column` map (`set`, `setOnce`, `properties`). */
export function readFieldMap(input: unknown, field: string, errors: string[]): Record<string, ValueSource> {
  if (input === undefined || input === null) return {};
  if (!isPlainObject(input)) {
    errors.push(`${field}: must be a map of Mixpanel property name → column`);
    return {};
  }
  const out: Record<string, ValueSource> = {};
  for (const [name, value] of Object.entries(input)) {
    if (name.trim() === '') errors.push(`${field}: property names must not be empty`);
    const source = readValueSource(value, `${field}.${name}`, errors);
    if (source) out[name] = source;
  }
  return out;
}

/** Reads key columns: one name or a list of names. */
export function readColumns(input: unknown, field: string, errors: string[]): string[] | undefined {
  if (input === undefined || input === null) return undefined;
  const list = Array.isArray(input) ? input : [input];
  if (list.length > 0 && list.every(nonEmpty)) return list;
  errors.push(`${field}: must be a column name or a list of column names`);
  return undefined;
}
