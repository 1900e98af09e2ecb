import { describe, expect, it } from 'vitest';
import { attemptDelivery, deliverRecords } from './deliver.js';
import type { SendFn, SendOutcome } from './sender.js';

const records = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ n: i }));
const ids = (batch: string[]) => batch.map((r) => (JSON.parse(r) as { n: number }).n);

describe('attemptDelivery', () => {
  it('splits by Mixpanel limits into few requests', async () => {
    const sizes: number[] = [];
    const send: SendFn = async (_e, _r, batch) => (sizes.push(batch.length), { kind: 'ok' });
    const result = await attemptDelivery(send, 'import', 'us', records(4100));
    expect(sizes).toEqual([2000, 2000, 100]);
    expect(result.delivered).toHaveLength(4100);
  });

  it('bisects a refused request down to the bad record', async () => {
    const send: SendFn = async (_e, _r, batch) => (ids(batch).includes(5) ? { kind: 'rejected', error: '400: bad $set' } : { kind: 'ok' });
    const result = await attemptDelivery(send, 'engage', 'us', records(8));
    expect(result.failed).toEqual([{ index: 5, reason: '400: bad $set' }]);
    expect(result.delivered.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 6, 7]);
    expect(result.requests).toBeLessThanOrEqual(1 + 2 * 3);
  });

  it('maps strict failed_records to records and holds back everything after a retryable failure', async () => {
    const outcomes: SendOutcome[] = [
      { kind: 'partial', failed: [{ index: 0, reason: 'properties.time: too far in the future' }] },
      { kind: 'retry', error: '429', retryAfterMs: 2000 },
    ];
    const send: SendFn = async () => outcomes.shift() ?? { kind: 'ok' };
    const many = records(2003);
    const result = await attemptDelivery(send, 'import', 'us', many);
    expect(result.failed).toEqual([{ index: 0, reason: 'properties.time: too far in the future' }]);
    expect(result.delivered).toHaveLength(1999);
    expect(result.retry).toEqual([2000, 2001, 2002]);
    expect(result.retryAfterMs).toBe(2000);
  });
});

describe('deliverRecords', () => {
  it('retries in memory with backoff that honours Retry-After', async () => {
    const waits: number[] = [];
    let calls = 0;
    const send: SendFn = async () => (++calls < 3 ? { kind: 'retry', error: '429', retryAfterMs: 5000 } : { kind: 'ok' });
    const report = await deliverRecords(send, 'import', 'us', records(3), { sleep: async (ms) => void waits.push(ms), backoff: { baseMs: 10, maxMs: 100 } });
    expect(report.delivered).toEqual([0, 1, 2]);
    expect(waits).toEqual([5000, 5000]);
  });

  it('gives up after maxAttempts and reports the undelivered', async () => {
    const send: SendFn = async () => ({ kind: 'retry', error: '503' });
    const report = await deliverRecords(send, 'import', 'us', records(2), { maxAttempts: 2, sleep: async () => undefined });
    expect(report).toMatchObject({ delivered: [], undelivered: [0, 1], error: '503', requests: 2 });
  });
});
