import { isPlainObject, type JsonObject } from '@tally/core';
import type { Operation } from '@tally/mixpanel';

const OPERATORS = ['$set', '$set_once', '$add', '$union', '$append', '$remove', '$unset', '$delete'];

/**
 * The profile updates of one row from the mapping's operations: `$set` without the columns that
 * are null, which become one `$unset` (the row no longer has them), and `$set_once` without nulls
 * (there is nothing to set once). Order: `$set`, `$set_once`, `$unset`.
 */
export function profileBodies(endpoint: 'engage' | 'groups', operations: Operation[]): JsonObject[] {
  const out: JsonObject[] = [];
  const unset: string[] = [];
  let base: JsonObject | undefined;
  for (const { endpoint: target, body } of operations) {
    if (target !== endpoint) continue;
    base ??= Object.fromEntries(Object.entries(body).filter(([k]) => !OPERATORS.includes(k)));
    const operator = OPERATORS.find((op) => op in body);
    const values = operator ? body[operator] : undefined;
    if ((operator === '$set' || operator === '$set_once') && isPlainObject(values)) {
      const kept: JsonObject = {};
      for (const [name, value] of Object.entries(values)) {
        if (value !== null) kept[name] = value;
        else if (operator === '$set') unset.push(name);
      }
      if (Object.keys(kept).length) out.push({ ...base, [operator]: kept });
    } else out.push(body);
  }
  if (unset.length && base) out.push({ ...base, $unset: unset });
  return out;
}
