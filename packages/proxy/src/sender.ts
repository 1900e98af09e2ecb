import { promisify } from 'node:util';
import { constants, gzip as gzipCallback } from 'node:zlib';
import { apiHost, type Endpoint, type Region } from '@tally/mixpanel';
import { parseRetryAfter } from './backoff.js';

const gzip = promisify(gzipCallback);

/**
 * How the sender authenticates to /import (the other endpoints carry the project token in each
 * record): a service account with its project id, the project's API secret, or the project token
 * with an empty password (Mixpanel's import docs accept it).
 */
export type MixpanelAuth =
  | { kind: 'service-account'; username: string; secret: string; projectId: string | number }
  | { kind: 'secret'; secret: string }
  | { kind: 'token'; token: string };

/** Options of {@link createMixpanelSender}. */
export interface SenderOptions {
  auth: MixpanelAuth;
  /** Base URL per region (e.g. an emulator's URL); default `apiHost(region)`. */
  baseUrls?: Partial<Record<Region, string>>;
  /** Per-request timeout (ms); a timeout is retried like a network error. Default 30 s. */
  timeoutMs?: number;
  /** Gzip /import request bodies (default true; Mixpanel documents `Content-Encoding: gzip` for /import only). */
  gzip?: boolean;
  fetch?: typeof fetch;
}

/** What one request's answer means for its records. */
export type SendOutcome =
  | { kind: 'ok' }
  /** /import strict mode: these indexes failed validation, every other record was imported. */
  | { kind: 'partial'; failed: Array<{ index: number; reason: string }> }
  /** 429, 5xx, 401/403, network error or timeout: send the same records again later. */
  | { kind: 'retry'; error: string; retryAfterMs?: number }
  /** Mixpanel refused the request as a whole (400 or `status: 0`): never retried as is. */
  | { kind: 'rejected'; error: string }
  /** 413: the request was too large; send it in smaller parts. */
  | { kind: 'too_large'; error: string };

/** Sends one request of records (JSON texts) to one endpoint and classifies the answer. */
export type SendFn = (endpoint: Endpoint, region: Region, records: string[]) => Promise<SendOutcome>;

/** The Mixpanel HTTP sender: one request per call; batching and retries sit on top ({@link deliverRecords}). */
export interface MixpanelSender {
  send: SendFn;
  /** The URL a request to `endpoint` in `region` goes to. */
  url(endpoint: Endpoint, region: Region): string;
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

function authHeader(auth: MixpanelAuth): string {
  if (auth.kind === 'service-account') return `Basic ${base64(`${auth.username}:${auth.secret}`)}`;
  if (auth.kind === 'secret') return `Basic ${base64(`${auth.secret}:`)}`;
  return `Basic ${base64(`${auth.token}:`)}`;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return text.trim();
  }
}

function errorText(body: unknown, status: number): string {
  if (body && typeof body === 'object' && 'error' in body && typeof body.error === 'string') return `${status}: ${body.error}`;
  return typeof body === 'string' && body ? `${status}: ${body.slice(0, 300)}` : `HTTP ${status}`;
}

function failedRecords(body: unknown): Array<{ index: number; reason: string }> | undefined {
  if (!body || typeof body !== 'object' || !('failed_records' in body) || !Array.isArray(body.failed_records)) return undefined;
  const failed: Array<{ index: number; reason: string }> = [];
  for (const record of body.failed_records as unknown[]) {
    if (!record || typeof record !== 'object') continue;
    const r = record as { index?: unknown; field?: unknown; message?: unknown };
    if (typeof r.index !== 'number') continue;
    const field = typeof r.field === 'string' ? `${r.field}: ` : '';
    failed.push({ index: r.index, reason: `${field}${typeof r.message === 'string' ? r.message : 'failed validation'}` });
  }
  return failed;
}

/** Creates the Mixpanel HTTP sender (keep-alive comes with Node's fetch; /import bodies are gzipped). */
export function createMixpanelSender(options: SenderOptions): MixpanelSender {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const useGzip = options.gzip ?? true;

  const url = (endpoint: Endpoint, region: Region): string => {
    const base = (options.baseUrls?.[region] ?? apiHost(region)).replace(/\/+$/, '');
    const params = new URLSearchParams();
    if (endpoint === 'import') {
      // strict=1: bad records come back in `failed_records` and the rest are imported.
      params.set('strict', '1');
      if (options.auth.kind === 'service-account') params.set('project_id', String(options.auth.projectId));
    } else {
      // verbose=1: `{"status":0,"error":…}` instead of a bare `0` when Mixpanel refuses.
      params.set('verbose', '1');
      // The proxy's own IP must never geolocate a user; events carry `ip` themselves.
      if (endpoint === 'track') params.set('ip', '0');
    }
    return `${base}/${endpoint}?${params}`;
  };

  const send: SendFn = async (endpoint, region, records) => {
    const json = `[${records.join(',')}]`;
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (endpoint === 'import') headers.authorization = authHeader(options.auth);
    let body: string | Uint8Array<ArrayBuffer> = json;
    // Mixpanel documents gzip request bodies for /import only.
    if (useGzip && endpoint === 'import') {
      // Level 1: ~30% less CPU than the default 6 on a 2,000-event /import body (1.4 vs 1.9 µs per
      // event, measured), for a body a few percent larger; it runs on libuv's pool, off the event loop.
      body = new Uint8Array(await gzip(json, { level: constants.Z_BEST_SPEED }));
      headers['content-encoding'] = 'gzip';
    }
    let response: Response;
    let parsed: unknown;
    try {
      response = await doFetch(url(endpoint, region), { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
      parsed = await readJson(response);
    } catch (error) {
      return { kind: 'retry', error: `network: ${(error as Error).message}` };
    }
    const { status } = response;
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    if (status === 429 || status >= 500 || status === 408) {
      return { kind: 'retry', error: errorText(parsed, status), ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
    }
    // A wrong secret or token is an operator's mistake, not bad data: keep the records and retry
    // (slowly) until the configuration is fixed; the queue's backpressure shows the problem.
    if (status === 401 || status === 403) return { kind: 'retry', error: errorText(parsed, status), retryAfterMs: Math.max(retryAfterMs ?? 0, 60_000) };
    if (status === 413) return { kind: 'too_large', error: errorText(parsed, status) };
    if (status === 400 && endpoint === 'import') {
      const failed = failedRecords(parsed);
      if (failed && failed.length > 0) return { kind: 'partial', failed };
    }
    if (status < 200 || status >= 300) return { kind: 'rejected', error: errorText(parsed, status) };
    if (parsed === 0 || parsed === '0') return { kind: 'rejected', error: 'Mixpanel answered 0' };
    if (parsed && typeof parsed === 'object' && 'status' in parsed && (parsed.status === 0 || parsed.status === '0')) {
      return { kind: 'rejected', error: errorText(parsed, status) };
    }
    return { kind: 'ok' };
  };

  return { send, url };
}
