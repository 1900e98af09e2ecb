import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSyncConfig, type SyncConfig } from '@tally/sync';

/** A temp directory removed by the returned function. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tally-sync-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A config for the emulator's default project with the given syncs. */
export function testConfig(source: string, state: string, apiUrl: string, syncs: unknown[]): SyncConfig {
  return resolveSyncConfig({
    source,
    state,
    mixpanel: { token: 'tally-dev-token', apiSecret: 'tally-dev-secret', apiUrl },
    syncs,
  });
}

/** Retry options that never wait for real, recording the delays asked for. */
export function instantRetries(delays: number[] = []) {
  return { maxAttempts: 40, sleep: async (ms: number) => void delays.push(ms) };
}

/** A fetch that answers every Mixpanel request with success without storing anything (memory tests). */
export function acceptingFetch(counter: { records: number; requests: number }): typeof fetch {
  return async (_url, init) => {
    const body = init?.body;
    counter.requests++;
    // /import bodies are gzipped; the others are JSON arrays. Count records only where it is cheap.
    if (typeof body === 'string') counter.records += (JSON.parse(body) as unknown[]).length;
    return new Response(JSON.stringify({ code: 200, status: 1, num_records_imported: 0, error: null }), { status: 200, headers: { 'content-type': 'application/json' } });
  };
}
