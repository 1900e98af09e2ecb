import { gunzipSync } from 'node:zlib';
import { vi } from 'vitest';
import type { Message } from '@tally/core';

/** One request the fake proxy saw. */
export interface SeenRequest {
  url: string;
  body: { batch: Message[]; sentAt: string; writeKey?: string };
  /** The body as sent: a string, or gzip bytes. */
  raw: string | ArrayBuffer;
  bytes: number;
  keepalive: boolean;
  headers: Record<string, string>;
}

type Answer = (request: SeenRequest) => Response | Promise<Response> | 'network-error';

/** A stand-in for `fetch` that decodes `/v1/batch` bodies and answers as told (default: 200, all accepted). */
export function createFakeProxy() {
  const requests: SeenRequest[] = [];
  let answers: Answer[] = [];
  let fallback: Answer = (request) => json(200, { success: true, accepted: request.body.batch.length, rejected: [] });
  const fetch = vi.fn(async (url: string, init: RequestInit) => {
    const headers = Object.fromEntries([...new Headers(init.headers)].map(([k, v]) => [k.toLowerCase(), v]));
    const raw = init.body as string | ArrayBuffer;
    const text = typeof raw == 'string' ? raw : gunzipSync(Buffer.from(raw)).toString('utf8');
    const bytes = typeof raw == 'string' ? Buffer.byteLength(raw) : raw.byteLength;
    const request = { url, body: JSON.parse(text), raw, bytes, keepalive: init.keepalive === true, headers };
    requests.push(request);
    const answer = (answers.shift() ?? fallback)(request);
    if (answer === 'network-error') throw new TypeError('Failed to fetch');
    return answer;
  });
  return {
    fetch,
    requests,
    /** Answers the next requests in order, then falls back to the default. */
    answerNext: (...next: Answer[]) => void (answers = answers.concat(next)),
    /** Changes the default answer. */
    answerAll: (answer: Answer) => void (fallback = answer),
    /** Every message id received, in order (duplicates kept). */
    ids: () => requests.flatMap((r) => r.body.batch.map((m) => m.messageId)),
  };
}

/** A JSON response with optional headers. */
export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
