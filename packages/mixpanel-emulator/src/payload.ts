import { gunzipSync } from 'node:zlib';
import { MAX_BODY_BYTES } from './limits.js';
import { MESSAGES } from './messages.js';
import type { EmulatorRequest } from './http-types.js';
import type { Endpoint } from './types.js';

/** The records of a request and any parameters sent in a form body (old clients put `verbose` there). */
export type Payload = { ok: true; records: unknown[]; formParams: URLSearchParams } | { ok: false; status: number; error: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });
const bad = (error: string, status = 400): Payload => ({ ok: false, status, error });

/**
 * `data=` values: plain JSON, or base64 JSON (mixpanel.js sends base64 unless api_host is on
 * *.mixpanel.com: `api_payload_format` default in mixpanel-core.js `_init`).
 */
export function decodeDataParam(data: string): unknown {
  const trimmed = data.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) return JSON.parse(trimmed);
  if (!/^[A-Za-z0-9+/\-_=\s]+$/.test(trimmed)) throw new SyntaxError('not base64');
  const decoded = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return JSON.parse(utf8.decode(decoded));
}

function asRecords(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value === 'object' && value !== null) return [value];
  return undefined;
}

/**
 * Reads a request's records the ways real clients send them: a JSON array or object,
 * `application/x-ndjson` (/import), a form body with `data=`, or `?data=` on GET; gzip only on
 * /import (the /track page's table: "Compression: None" for /track, "Gzip allowed" for /import).
 */
export function decodePayload(endpoint: Endpoint, req: EmulatorRequest, query: URLSearchParams): Payload {
  const formParams = new URLSearchParams();
  if (req.method === 'GET') {
    const data = query.get('data');
    if (data === null) return bad(MESSAGES.missingData);
    try {
      const records = asRecords(decodeDataParam(data));
      return records ? { ok: true, records, formParams } : bad(MESSAGES.badJson);
    } catch {
      return bad(MESSAGES.badBase64);
    }
  }
  if (req.bodyTooLarge) return bad(MESSAGES.tooLarge(MAX_BODY_BYTES), 413);
  let body = req.body ?? new Uint8Array();
  if (body.byteLength > MAX_BODY_BYTES) return bad(MESSAGES.tooLarge(MAX_BODY_BYTES), 413);
  const encoding = (req.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'identity') {
    if (encoding !== 'gzip' || endpoint !== 'import') return bad(MESSAGES.encodingUnsupported(encoding, `/${endpoint}`));
    try {
      body = gunzipSync(body, { maxOutputLength: MAX_BODY_BYTES });
    } catch (error) {
      // zlib stops at maxOutputLength, so a gzip bomb is never inflated past the limit.
      if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        return bad(MESSAGES.tooLarge(MAX_BODY_BYTES), 413);
      }
      return bad(MESSAGES.badGzip);
    }
  }
  let textBody: string;
  try {
    textBody = utf8.decode(body);
  } catch {
    return bad(MESSAGES.notUtf8('body'));
  }
  const contentType = (req.headers['content-type'] ?? '').toLowerCase();
  // sendBeacon posts `data=…` as text/plain, so a body starting with `data=` is a form too.
  if (contentType.includes('application/x-www-form-urlencoded') || textBody.startsWith('data=')) {
    const form = new URLSearchParams(textBody);
    const data = form.get('data');
    if (data === null) return bad(MESSAGES.missingData);
    form.delete('data');
    try {
      const records = asRecords(decodeDataParam(data));
      return records ? { ok: true, records, formParams: form } : bad(MESSAGES.badJson);
    } catch {
      return bad(MESSAGES.badBase64);
    }
  }
  if (textBody.trim() === '') return bad(MESSAGES.missingData);
  if (endpoint === 'import' && contentType.includes('application/x-ndjson')) {
    const records: unknown[] = [];
    const lines = textBody.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = (lines[i] as string).trim();
      if (line === '') continue;
      try {
        records.push(JSON.parse(line));
      } catch {
        return bad(MESSAGES.badNdjson(i + 1));
      }
    }
    return { ok: true, records, formParams };
  }
  try {
    const records = asRecords(JSON.parse(textBody));
    return records ? { ok: true, records, formParams } : bad(MESSAGES.badJson);
  } catch {
    return bad(MESSAGES.badJson);
  }
}
