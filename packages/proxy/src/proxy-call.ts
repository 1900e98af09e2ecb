import { readStreamBody, type BodyLimits } from './read-body.js';

/**
 * One request as the proxy's core reads it. The fetch handler builds it from a `Request`; the
 * Node listener builds it from `IncomingMessage` directly, since a fetch `Request` (headers copy,
 * web-stream body) per request cost ~7% of the Node proxy's ingest CPU.
 */
export interface ProxyCall {
  method: string;
  /** The URL's path, normalised as `new URL()` does. */
  path: string;
  /** A header's value (name in lower case), or null. */
  header(name: string): string | null;
  /** The body within `limits`, a gzip body inflated (bounded); throws an HttpError past them. */
  body(limits: BodyLimits): Promise<Uint8Array>;
  /** The request as a fetch `Request`, for the routes that forward or serve files (pass-through, mixpanel.js). */
  request(): Request;
}

/** A finished answer with a small body; forwarded and file answers are fetch `Response`s instead. */
export interface ProxyReply {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}

/** A fetch `Request` as a {@link ProxyCall}. */
export function callFromRequest(request: Request): ProxyCall {
  const header = (name: string) => request.headers.get(name);
  return {
    method: request.method,
    path: new URL(request.url).pathname,
    header,
    body: (limits) => readStreamBody(header, request.body, limits),
    request: () => request,
  };
}

/** A {@link ProxyReply} as a fetch `Response`. */
export function replyToResponse(reply: ProxyReply): Response {
  return new Response(reply.body, { status: reply.status, headers: reply.headers });
}
