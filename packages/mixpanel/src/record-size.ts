// Cloud-only: Mixpanel's 1 MB per-record limit, checked on the JSON the cloud sends. Device mode
// does not import this module (mixpanel.js truncates strings to 255 characters and handles a 413 itself).
import { fail } from './messages.js';
import type { Operation } from './types.js';

// Mixpanel: each event, profile update and group update must be under 1 MB of JSON.
const MAX_RECORD_BYTES = 1024 * 1024;

/** UTF-8 byte length of a string (no TextEncoder: this package has no DOM or Node types). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4; // a surrogate pair is one 4-byte code point
      i++;
    } else bytes += 3;
  }
  return bytes;
}

// The JSON text measured for each record, so a caller that stores or sends it need not serialise
// the same object again (the proxy did: a second JSON.stringify per event, ~2.5% of its ingest CPU).
const measured = /* @__PURE__ */ new WeakMap<object, string>();

/**
 * The JSON text of an operation's body: the text the mapping measured against Mixpanel's 1 MB
 * limit when it built the body, else `JSON.stringify(body)`. Call it before changing the body.
 */
export function operationJson(operation: Operation): string {
  return measured.get(operation.body) ?? JSON.stringify(operation.body);
}

/** Rejects a record whose JSON is over Mixpanel's 1 MB limit. */
export function assertRecordSize(record: unknown, what: string): void {
  const json = JSON.stringify(record) ?? '';
  if (typeof record === 'object' && record !== null) measured.set(record, json);
  // A UTF-16 unit is at most 3 UTF-8 bytes (a surrogate pair, 2 units, is 4), so short JSON needs
  // no byte count: counting every character was 3.5% of the proxy's ingest CPU.
  if (json.length * 3 <= MAX_RECORD_BYTES) return;
  const bytes = utf8Length(json);
  if (bytes > MAX_RECORD_BYTES) fail('too_large', `${what} is ${bytes} bytes`);
}
