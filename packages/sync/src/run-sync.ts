import type { Region } from '@tally/mixpanel';
import { createMixpanelSender, type DeliverOptions, type MixpanelAuth, type SendFn } from '@tally/proxy';
import type { SyncConfig, SyncMixpanel } from './config.js';
import { SyncError } from './errors.js';
import { emptyCounts, type SyncCounts, type SyncProgress, type SyncReport } from './report.js';
import { urlPassword } from './redact.js';
import { openSource, type Source, type SourceDriver } from './source.js';
import { openSyncState } from './state.js';
import { syncObject } from './sync-object.js';

/** Options of {@link runSync}. */
export interface RunOptions {
  /** Map and compare, print the first records and the counts; send nothing, write no state. */
  dryRun?: boolean;
  /** Ignore the state: send every record (the state is still updated). */
  full?: boolean;
  /** Run only the syncs with these names. */
  only?: string[];
  /** Batches in flight per sync (default 2; each is up to 2,000 records). */
  concurrency?: number;
  /** Mapped records shown per sync with `dryRun` (default 3). */
  previewCount?: number;
  /** Extra source drivers by URL scheme (a warehouse), or an already open source. */
  drivers?: Record<string, SourceDriver>;
  source?: Source;
  /** Retries per batch (default 8 attempts, backoff from 1 s, never sooner than `Retry-After`). */
  deliver?: DeliverOptions;
  /** The HTTP client (tests); default Node's fetch. */
  fetch?: typeof fetch;
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
  /** Called after Mixpanel answered a batch and before its state is committed (tests throw here to simulate a crash). */
  beforeCommit?: (batch: number) => void | Promise<void>;
}

/** How the sender authenticates to /import: a service account, else the API secret, else the token. */
export function mixpanelAuth(m: SyncMixpanel): MixpanelAuth {
  if (m.serviceAccount && m.projectId) return { kind: 'service-account', ...m.serviceAccount, projectId: m.projectId };
  if (m.apiSecret) return { kind: 'secret', secret: m.apiSecret };
  return { kind: 'token', token: m.token };
}

/** The proxy's sender for a sync config (`apiUrl` addresses every region as `{apiUrl}/{region}`, as the proxy does). */
export function createSyncSender(m: SyncMixpanel, fetchImpl?: typeof fetch): SendFn {
  const regions: Region[] = ['us', 'eu', 'in'];
  const baseUrls = m.apiUrl ? Object.fromEntries(regions.map((r) => [r, `${m.apiUrl}/${r}`])) : undefined;
  return createMixpanelSender({ auth: mixpanelAuth(m), ...(baseUrls && { baseUrls }), ...(fetchImpl && { fetch: fetchImpl }) }).send;
}

/**
 * Runs every sync of a config once: rows from the source, mapped, compared with the state, the
 * new and changed ones sent to Mixpanel, the state committed batch by batch after Mixpanel's
 * answer. Resolves to the report (`ok` is false when records failed); throws a `SyncError` when
 * the run cannot go on (bad source, missing column, unreadable state).
 * @example const report = await runSync(loadSyncConfig('sync.yaml', { env: process.env }));
 */
export async function runSync(config: SyncConfig, options: RunOptions = {}): Promise<SyncReport> {
  const started = Date.now();
  const secrets = [urlPassword(config.source), config.mixpanel.apiSecret, config.mixpanel.serviceAccount?.secret];
  const unknown = options.only?.filter((name) => !config.syncs.some((s) => s.name === name)) ?? [];
  if (unknown.length) throw new SyncError('config_invalid', unknown.map((name) => `--only ${name}: no sync has this name`));
  const syncs = options.only ? config.syncs.filter((s) => options.only!.includes(s.name)) : config.syncs;
  const source = options.source ?? (await openSource(config.source, { baseDir: config.baseDir, ...(options.drivers && { drivers: options.drivers }) }));
  const totals: SyncCounts = emptyCounts();
  const report: SyncReport = { ok: true, dryRun: options.dryRun === true, full: options.full === true, ...totals, syncs: [], durationMs: 0 };
  try {
    const state = openSyncState(config.state);
    try {
      const send = createSyncSender(config.mixpanel, options.fetch);
      for (const sync of syncs) {
        const object = await syncObject(sync, {
          source, state, send, secrets,
          mixpanel: config.mixpanel,
          region: config.mixpanel.region,
          dryRun: report.dryRun,
          full: report.full,
          concurrency: options.concurrency ?? 2,
          previewCount: options.previewCount ?? 3,
          ...(options.deliver && { deliver: options.deliver }),
          ...(options.signal && { signal: options.signal }),
          ...(options.onProgress && { onProgress: options.onProgress }),
          ...(options.beforeCommit && { beforeCommit: options.beforeCommit }),
        });
        report.syncs.push(object);
        for (const key of Object.keys(totals) as Array<keyof SyncCounts>) report[key] += object[key];
      }
    } finally {
      state.close();
    }
  } finally {
    // A source the caller passed in is the caller's to close.
    if (!options.source) await source.close();
  }
  report.ok = report.failed === 0;
  report.durationMs = Date.now() - started;
  return report;
}
