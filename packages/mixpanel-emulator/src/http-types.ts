/** A parsed HTTP request, as the emulator's handler takes it (the Node adapter builds one per request). */
export interface EmulatorRequest {
  method: string;
  /** Path and query, e.g. `/track/?verbose=1&ip=1`. */
  url: string;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  body?: Uint8Array;
  /** The adapter stopped reading because the body passed the size limit. */
  bodyTooLarge?: boolean;
  remoteAddress?: string;
}

/** The handler's answer. */
export interface EmulatorResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Destroy the connection instead of answering (injected fault). */
  drop?: boolean;
  /** Wait this long before answering (injected fault). */
  delayMs?: number;
}

/** Builds a JSON response. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): EmulatorResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** Builds a plain-text response. */
export function text(status: number, body: string, headers: Record<string, string> = {}): EmulatorResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body };
}
