/** The part of Web Crypto we need; declared here because core compiles without DOM or Node types. */
interface RandomSource {
  getRandomValues<T extends Uint8Array>(array: T): T;
}

/**
 * A random UUID v4 from `crypto.getRandomValues` (or `Math.random` where there is no Web Crypto:
 * ids then stay unique enough for dedupe). Kept small: it ships in the 4 KB script-tag core.
 */
export function uuid(): string {
  const crypto = (globalThis as { crypto?: RandomSource }).crypto;
  let bytes = new Uint8Array(16);
  bytes = crypto?.getRandomValues ? crypto.getRandomValues(bytes) : bytes.map(() => Math.random() * 256);
  // Version 4 in byte 6, the RFC 4122 variant in byte 8.
  bytes[6] = (bytes[6]! & 15) | 64;
  bytes[8] = (bytes[8]! & 63) | 128;
  let out = '';
  bytes.forEach((byte, i) => (out += (i > 3 && i < 11 && !(i & 1) ? '-' : '') + (byte + 256).toString(16).slice(1)));
  return out;
}
