import type { JsonObject } from '@tally/core';
import type { ObjectKind } from './config.js';

/** The counts every report has. With `--dry-run` they say what a real run would send. */
export interface SyncCounts {
  read: number;
  unchanged: number;
  inserted: number;
  updated: number;
  deleted: number;
  failed: number;
}

/** What one sync (one query and object) did. */
export interface ObjectReport extends SyncCounts {
  name: string;
  object: ObjectKind;
  /** The first failures (at most {@link MAX_FAILURES}), each with Mixpanel's or the mapping's reason. */
  failures: Array<{ key: string; reason: string }>;
  requests: number;
  durationMs: number;
  /** `--dry-run`: the first mapped records, as they would be sent. */
  preview?: JsonObject[];
}

/** The whole run's report (`--json` prints it). */
export interface SyncReport extends SyncCounts {
  ok: boolean;
  dryRun: boolean;
  full: boolean;
  syncs: ObjectReport[];
  durationMs: number;
}

/** Progress of the running sync, for a progress line. */
export interface SyncProgress {
  sync: string;
  read: number;
  sent: number;
  failed: number;
  elapsedMs: number;
}

/** Failures kept per sync in the report; the count covers all of them. */
export const MAX_FAILURES = 100;

/** Zeroed counts. */
export const emptyCounts = (): SyncCounts => ({ read: 0, unchanged: 0, inserted: 0, updated: 0, deleted: 0, failed: 0 });

const COLUMNS: Array<keyof SyncCounts> = ['read', 'unchanged', 'inserted', 'updated', 'deleted', 'failed'];
const num = (n: number) => n.toLocaleString('en-US');

/** The run's summary as a text table, one line per sync, totals last, then the first failures. */
export function formatSummary(report: SyncReport): string {
  const rows = [['sync', 'object', ...COLUMNS, 'time'], ...report.syncs.map((s) => [s.name, s.object, ...COLUMNS.map((c) => num(s[c])), `${(s.durationMs / 1000).toFixed(1)}s`])];
  rows.push(['total', '', ...COLUMNS.map((c) => num(report[c])), `${(report.durationMs / 1000).toFixed(1)}s`]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((v, i) => (i < 2 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  const out = [report.dryRun ? 'dry run: nothing was sent; counts are what a run would do' : '', ...rows.map(line)].filter(Boolean);
  for (const s of report.syncs) {
    for (const f of s.failures.slice(0, 10)) out.push(`failed ${s.name} ${f.key}: ${f.reason}`);
    if (s.failed > 10) out.push(`… ${num(s.failed - Math.min(10, s.failures.length))} more failures in ${s.name} (--json lists ${MAX_FAILURES})`);
  }
  return out.join('\n');
}

/** One progress line: rows read, sent, failed and the read rate. */
export function formatProgress(p: SyncProgress): string {
  const rate = p.elapsedMs > 0 ? Math.round((p.read * 1000) / p.elapsedMs) : 0;
  return `${p.sync}: read ${num(p.read)} · sent ${num(p.sent)} · failed ${num(p.failed)} · ${num(rate)} rows/s`;
}
