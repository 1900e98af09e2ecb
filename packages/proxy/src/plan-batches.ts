import type { Endpoint } from '@tally/mixpanel';

/** Mixpanel's per-request limits for one endpoint. */
export interface EndpointLimits {
  maxRecords: number;
  /** Uncompressed bytes of the JSON array per request. */
  maxRequestBytes: number;
  /** Uncompressed bytes of one record. */
  maxRecordBytes: number;
}

const MB = 1024 * 1024;

/**
 * From MIXPANEL.md: /import takes 2,000 events and 10 MB uncompressed per request; /track 2,000
 * events; /engage and /groups 2,000 updates, each ≤ 1 MB. An event is at most 1 MB of JSON.
 * Mixpanel names no total for /track, /engage and /groups; 10 MB keeps them as safe as /import.
 */
export const LIMITS: Record<Endpoint, EndpointLimits> = {
  import: { maxRecords: 2_000, maxRequestBytes: 10 * MB, maxRecordBytes: 1 * MB },
  track: { maxRecords: 2_000, maxRequestBytes: 10 * MB, maxRecordBytes: 1 * MB },
  engage: { maxRecords: 2_000, maxRequestBytes: 10 * MB, maxRecordBytes: 1 * MB },
  groups: { maxRecords: 2_000, maxRequestBytes: 10 * MB, maxRecordBytes: 1 * MB },
};

/**
 * Splits record sizes (bytes, in order) into consecutive `[start, end)` ranges that each fit one
 * request. A record larger than the per-record limit gets a range of its own (the caller
 * dead-letters it: Mixpanel would refuse it).
 */
export function planBatches(sizes: number[], limits: EndpointLimits): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let start = 0;
  let bytes = 2; // the array's brackets
  for (let i = 0; i < sizes.length; i++) {
    const size = sizes[i]! + 1; // and a comma
    const full = i - start >= limits.maxRecords || bytes + size > limits.maxRequestBytes;
    if (i > start && full) {
      ranges.push([start, i]);
      start = i;
      bytes = 2;
    }
    bytes += size;
  }
  if (start < sizes.length) ranges.push([start, sizes.length]);
  return ranges;
}
