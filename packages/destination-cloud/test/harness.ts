import { vi } from 'vitest';
import type { Destination } from '@tally/core';
import {
  createCloudDestination,
  createIdbStorage,
  type CloudClient,
  type CloudDestinationOptions,
  type CloudSettings,
} from '@tally/destination-cloud';
import { createFakeProxy } from './fake-proxy.js';

type Cloud = Destination<CloudSettings, CloudClient>;

const live: Cloud[] = [];
let n = 0;

/** What the destination reported through the client. */
export interface Reports {
  delivered: number[];
  errors: string[];
}

/** A client stand-in that records `delivered` counts and `error` texts. */
export function createClient(): CloudClient & Reports {
  const delivered: number[] = [];
  const errors: string[] = [];
  return {
    delivered,
    errors,
    emit(type: string, payload: { count?: number; error?: unknown }) {
      if (type == 'delivered') delivered.push(payload.count!);
      else errors.push((payload.error as Error).message);
    },
  } as CloudClient & Reports;
}

/** A fake proxy installed as `fetch`, plus a fresh queue name per test. */
export function setupProxy() {
  const proxy = createFakeProxy();
  vi.stubGlobal('fetch', proxy.fetch);
  return { proxy, name: `tally-test-${++n}` };
}

/** A loaded destination (one "tab") on queue `name`, with defaults suited to tests (no gzip). */
export async function startTab(name: string, options: CloudDestinationOptions = {}, settings: CloudSettings = {}) {
  const client = createClient();
  const destination = createCloudDestination({ name, gzip: false, apiHost: 'https://proxy.test', writeKey: 'wk', ...options });
  live.push(destination);
  await destination.load(settings, client);
  const store = options.storage ?? createIdbStorage(name);
  return { destination, client, store };
}

/** Silences every destination a test started, so window events in later tests do not reach it. */
export async function stopTabs(): Promise<void> {
  await Promise.all(live.splice(0).map((d) => d.setOptOut!(true)));
}
