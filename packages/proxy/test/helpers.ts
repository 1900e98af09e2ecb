import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Message } from '@tally/core';
import type { CloudResult } from '@tally/mixpanel';
import { pino } from 'pino';
import type { ProxyConfigInput } from '../src/config.js';

/** A logger that prints nothing. */
export const silent = pino({ level: 'silent' });

/** A mapping stand-in: one /import event per message, so queue/worker tests do not depend on mapping details. */
export function stubMap(message: Message, now: number): CloudResult {
  if ('event' in message && message.event === 'Unmappable') return { ok: false, rejection: { code: 'stub_rejected', message: 'the stub refuses this event' } };
  return {
    ok: true,
    warnings: [],
    operations: [
      {
        endpoint: message.type === 'identify' ? 'engage' : 'import',
        body: {
          event: message.type === 'track' ? message.event : message.type,
          properties: {
            distinct_id: message.userId ?? message.anonymousId,
            $insert_id: message.messageId,
            time: Date.parse(message.timestamp) || now,
            ip: message.context.ip,
            context: message.context,
          },
        },
      },
    ],
  };
}

/** A temp directory removed by the returned function. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tally-proxy-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A minimal valid proxy configuration. */
export function baseConfig(overrides: ProxyConfigInput = {}): ProxyConfigInput {
  return {
    writeKeys: ['wk-test'],
    mixpanel: { token: 'tally-dev-token', apiSecret: 'tally-dev-secret' },
    dataDir: ':memory:',
    logLevel: 'silent',
    rateLimit: false,
    mixpanelJs: false,
    shutdownTimeoutMs: 3_000,
    delivery: { batchWaitMs: 20, pollMs: 50, backoff: { baseMs: 20, maxMs: 200 } },
    ...overrides,
  };
}

/** `Authorization: Basic` for a write key. */
export const basic = (writeKey: string) => `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;

/** A POST Request to the proxy handler. */
export function post(path: string, body: unknown, headers: Record<string, string> = {}): Request {
  return new Request(`http://proxy.test${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basic('wk-test'), ...headers },
    body: typeof body === 'string' ? body : body instanceof Uint8Array ? new Uint8Array(body) : JSON.stringify(body),
  });
}

/** A message with the given fields over sensible defaults. */
export function track(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'track', event: 'Clicked', userId: 'u1', timestamp: new Date().toISOString(), properties: {}, ...fields };
}

/** Polls `check` until it returns true (at most `timeoutMs`). */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, stepMs = 20): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
