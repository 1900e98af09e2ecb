import type { ProxyReply } from './proxy-call.js';

/**
 * The proxy's error codes, their HTTP status and message texts, in one table, and the one
 * place where an error becomes a JSON response body.
 */

/** Every error code the proxy answers with, its HTTP status and the sentence it starts with. */
export const ERRORS = {
  invalid_json: [400, 'The request body is not valid JSON'],
  invalid_body: [400, 'The request body must be a JSON object'],
  invalid_batch: [400, '`batch` must be a non-empty array of messages'],
  all_rejected: [400, 'Every message in the request was rejected'],
  invalid_gzip: [400, 'The gzip request body could not be decompressed'],
  unauthorized: [401, 'A known write key is required (HTTP basic auth user or `writeKey` in the body)'],
  origin_not_allowed: [403, 'This origin is not allowed to send events'],
  not_found: [404, 'No such route'],
  method_not_allowed: [405, 'Method not allowed'],
  request_too_large: [413, 'The request body is too large'],
  unsupported_media_type: [415, 'Send `application/json` or `text/plain` with a JSON body'],
  unsupported_encoding: [415, 'Only `gzip` (or no) Content-Encoding is accepted'],
  rate_limited: [429, 'Too many requests from this address'],
  internal_error: [500, 'Internal error'],
  upstream_unavailable: [502, 'Mixpanel could not be reached'],
  overloaded: [503, 'The delivery queue is full; retry later'],
  shutting_down: [503, 'The proxy is shutting down; retry later'],
} as const satisfies Record<string, readonly [number, string]>;

/** A request-level error code. */
export type ErrorCode = keyof typeof ERRORS;

/** Per-message rejection codes (a batch keeps its good messages; these name the bad ones). */
export const MESSAGE_ERRORS = {
  invalid_message: 'The message must be a JSON object',
  invalid_type: '`type` must be one of track, page, screen, identify, alias, group',
  missing_identity: 'Every message needs a `userId` or an `anonymousId` (a non-empty string)',
  missing_event: 'A track message needs `event` (a non-empty string)',
  missing_user_id: 'An alias message needs `userId` (a non-empty string)',
  missing_previous_id: 'An alias message needs `previousId` (a non-empty string)',
  missing_group_id: 'A group message needs `groupId` (a non-empty string)',
  invalid_field: 'A field has the wrong type',
  invalid_timestamp: 'A time field is not an ISO-8601 date',
  hostile_key: 'Keys named __proto__, constructor or prototype are refused',
  too_deep: 'The message is nested too deeply',
  message_too_large: 'The message is larger than 32 KB',
  mapping_failed: 'The Mixpanel mapping failed on this message',
} as const;

/** A per-message rejection code (or a code from the Mixpanel mapping). */
export type MessageErrorCode = keyof typeof MESSAGE_ERRORS;

/** An error that becomes an HTTP response with a JSON body `{ success: false, code, message }`. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  readonly extra: Record<string, unknown> | undefined;

  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}, extra?: Record<string, unknown>) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.headers = headers;
    this.extra = extra;
  }
}

/** An HttpError for a code in {@link ERRORS}, with an optional detail appended to its sentence. */
export function httpError(code: ErrorCode, detail?: string, headers?: Record<string, string>, extra?: Record<string, unknown>): HttpError {
  const [status, text] = ERRORS[code];
  return new HttpError(status, code, detail ? `${text}: ${detail}` : text, headers, extra);
}

/** A per-message rejection message for a code in {@link MESSAGE_ERRORS}, with optional detail. */
export function messageErrorText(code: MessageErrorCode, detail?: string): string {
  return detail ? `${MESSAGE_ERRORS[code]}: ${detail}` : MESSAGE_ERRORS[code];
}

/** A JSON reply; the one place reply bodies are serialised. */
export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): ProxyReply {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}

/** Converts anything thrown while handling a request into its JSON reply. */
export function errorReply(error: unknown): ProxyReply {
  const e = error instanceof HttpError ? error : httpError('internal_error');
  return jsonReply(e.status, { success: false, code: e.code, message: e.message, ...e.extra }, e.headers);
}
