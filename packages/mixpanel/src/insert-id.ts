import { isPlaceholderId } from './placeholder.js';

// Mixpanel: "$insert_id must be ≤ 36 bytes and contain only alphanumeric characters or '-'".
const VALID = /^[A-Za-z0-9-]{1,36}$/;

/** Murmur3's 32-bit finaliser: every input bit flips about half the output bits. */
function avalanche(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A 128-bit hash of a string as 32 hex digits. Four 32-bit lanes with different multipliers
 * read every UTF-16 unit and feed each other; no crypto exists in this runtime-free package,
 * and dedupe only needs distinct ids to stay distinct, not secrecy.
 */
export function hash128(input: string): string {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  let c = 0x243f6a88;
  let d = 0x85a308d3;
  for (let i = 0; i < input.length; i++) {
    const k = input.charCodeAt(i);
    a = Math.imul(a ^ k, 0x01000193);
    b = Math.imul(b ^ k, 0x5bd1e995);
    c = Math.imul(c ^ k, 0xcc9e2d51) ^ (a >>> 15);
    d = Math.imul(d ^ k, 0x1b873593) ^ (b >>> 13);
  }
  const n = input.length;
  a = avalanche(a ^ n ^ d);
  b = avalanche(b ^ a);
  c = avalanche(c ^ b ^ n);
  d = avalanche(d ^ c);
  a = avalanche(a ^ d);
  return [a, b, c, d].map((h) => h.toString(16).padStart(8, '0')).join('');
}

/**
 * A valid Mixpanel `$insert_id` for a message id: the id itself when it already is one (≤ 36
 * letters, digits or dashes, not a placeholder), else a deterministic 128-bit hash formatted
 * as a UUID (36 chars). Never truncates, so distinct long ids stay distinct.
 * @example toInsertId('5d958f87-542d-4c10-9422-0ed75893dc81') // unchanged
 */
export function toInsertId(messageId: string): string {
  if (VALID.test(messageId) && !isPlaceholderId(messageId)) return messageId;
  const h = hash128(messageId);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
