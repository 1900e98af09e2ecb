import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readBody } from './read-body.js';

const req = (body: BodyInit, headers: Record<string, string> = {}) => new Request('http://x/', { method: 'POST', body, headers });

describe('readBody', () => {
  it('reads plain and gzip bodies', async () => {
    expect(await readBody(req('{"a":1}'), { maxBytes: 100 })).toBe('{"a":1}');
    expect(await readBody(req(gzipSync('{"b":2}'), { 'content-encoding': 'gzip' }), { maxBytes: 100 })).toBe('{"b":2}');
  });

  it('refuses bodies over the limit', async () => {
    await expect(readBody(req('x'.repeat(101)), { maxBytes: 100 })).rejects.toMatchObject({ status: 413, code: 'request_too_large' });
  });

  it('stops inflating a zip bomb at the limit', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024)); // ~50 KB on the wire, 50 MB inflated
    expect(bomb.byteLength).toBeLessThan(100 * 1024);
    await expect(readBody(req(bomb, { 'content-encoding': 'gzip' }), { maxBytes: 500 * 1024 })).rejects.toMatchObject({
      status: 413,
      message: expect.stringContaining('decompressed'),
    });
  });

  it('names a broken gzip body and an unknown encoding', async () => {
    await expect(readBody(req('not gzip', { 'content-encoding': 'gzip' }), { maxBytes: 100 })).rejects.toMatchObject({ status: 400, code: 'invalid_gzip' });
    await expect(readBody(req('x', { 'content-encoding': 'br' }), { maxBytes: 100 })).rejects.toMatchObject({ status: 415, code: 'unsupported_encoding' });
  });
});
