import { json, text, type EmulatorResponse } from './http-types.js';
import { MESSAGES } from './messages.js';
import type { Endpoint } from './types.js';

const IMPORT_STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  413: 'Request Entity Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** An /import error: `{"code","error","status"}` (StrictUnauthorized/StrictTooLarge/RateLimitExceeded in the ingestion spec). */
export function importError(status: number, error: string, headers: Record<string, string> = {}): EmulatorResponse {
  return json(status, { code: status, error, status: IMPORT_STATUS_TEXT[status] ?? 'Error' }, headers);
}

/**
 * A /track, /engage or /groups answer: `1`/`0`, or with `verbose=1` `{"status":1,"error":null}` /
 * `{"status":0,"error":"…"}` (ingestion spec, ResponseType/Verbose).
 */
export function clientReply(ok: boolean, error: string | null, verbose: boolean, status = 200, headers: Record<string, string> = {}): EmulatorResponse {
  if (verbose) return json(status, { status: ok ? 1 : 0, error: ok ? null : error }, headers);
  return text(status, ok ? '1' : '0', headers);
}

/** A 403 from /track, /engage or /groups: `{"error","status":"error"}`, no `code` (docs 403-forbidden page). */
export function forbidden(error: string): EmulatorResponse {
  return json(403, { error, status: 'error' });
}

/** The answer to an injected 429 or 5xx, shaped for the endpoint. */
export function faultReply(endpoint: Endpoint, status: number, verbose: boolean, retryAfter?: number): EmulatorResponse {
  const headers: Record<string, string> = retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) };
  const error = status === 429 ? MESSAGES.rateLimited : MESSAGES.serverError;
  return endpoint === 'import' ? importError(status, error, headers) : clientReply(false, error, verbose, status, headers);
}
