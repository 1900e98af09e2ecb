import { gzipSync } from 'node:zlib';
import type { EmulatorRequest } from '../src/http-types.js';
import { createHandler } from '../src/handler.js';
import type { EmulatorOptions } from '../src/types.js';

export const TOKEN = 'tally-dev-token';
export const SECRET = 'tally-dev-secret';
export const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
export const NOW_S = NOW / 1000;

let counter = 0;
/** A unique valid $insert_id. */
export const insertId = () => `ins-${(++counter).toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

/** A handler with a pinned clock. */
export function handlerWith(options: EmulatorOptions = {}) {
  return createHandler({ now: () => NOW, ...options });
}

/** A valid /track event. */
export function trackEvent(props: Record<string, unknown> = {}, name = 'Signed Up') {
  return { event: name, properties: { token: TOKEN, distinct_id: 'user-1', time: NOW_S - 10, $insert_id: insertId(), ...props } };
}

/** A valid /import event. */
export function importEvent(props: Record<string, unknown> = {}, name = 'Signed Up') {
  return { event: name, properties: { distinct_id: 'user-1', time: NOW - 10_000, $insert_id: insertId(), ...props } };
}

export const basic = (user: string, password = '') => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** A form post as mixpanel.js sends it (base64 `data=`). */
export function formPost(path: string, records: unknown, extra: Partial<EmulatorRequest> = {}, base64 = true): EmulatorRequest {
  const json = JSON.stringify(records);
  const data = base64 ? Buffer.from(json).toString('base64') : json;
  return {
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...extra.headers },
    body: Buffer.from(`data=${encodeURIComponent(data)}`),
    ...extra,
    ...(extra.headers ? { headers: { 'content-type': 'application/x-www-form-urlencoded', ...extra.headers } } : {}),
  };
}

/** A JSON post to /import with the default project's token as basic auth. */
export function importPost(records: unknown, { query = '', auth = basic(TOKEN), gzip = false, contentType = 'application/json', headers = {} as Record<string, string> } = {}): EmulatorRequest {
  const raw = Buffer.from(typeof records === 'string' ? records : JSON.stringify(records));
  return {
    method: 'POST',
    url: `/import${query}`,
    headers: { 'content-type': contentType, ...(auth ? { authorization: auth } : {}), ...(gzip ? { 'content-encoding': 'gzip' } : {}), ...headers },
    body: gzip ? gzipSync(raw) : raw,
  };
}

export const body = (res: { body: string }) => JSON.parse(res.body) as Record<string, any>;
