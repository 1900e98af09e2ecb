import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Queue, QueueRecordInput } from '../src/queue.js';

const LIMITS = { maxRecords: 100, maxBytes: 1_000_000 };

const rec = (key: string, n: number, endpoint: QueueRecordInput['endpoint'] = 'import'): QueueRecordInput => ({
  endpoint,
  region: 'us',
  key,
  body: JSON.stringify({ event: `e${n}`, properties: { n } }),
  messageId: `m-${key}-${n}`,
});

/** Extra parts for engines that several processes share. */
export interface QueueContractOptions {
  /** Another handle on the same store as `queue`, as a second process would open it. */
  peer?: (queue: Queue) => Promise<Queue> | Queue;
}

/** The contract every Queue implementation passes (SQLite, and PostgreSQL shared by processes). */
export function testQueue(name: string, factory: () => Promise<Queue> | Queue, options: QueueContractOptions = {}): void {
  describe(`Queue contract: ${name}`, () => {
    let queue: Queue;
    const peers: Queue[] = [];
    beforeEach(async () => {
      queue = await factory();
    });
    afterEach(async () => {
      for (const peer of peers.splice(0)) await peer.close();
      await queue.close();
    });
    const peerOf = async (q: Queue) => {
      const peer = await options.peer!(q);
      peers.push(peer);
      return peer;
    };

    it('enqueues, claims in order and acks', async () => {
      await queue.enqueue([rec('a', 1), rec('b', 2), rec('a', 3)]);
      expect(await queue.size()).toBe(3);
      const claimed = await queue.claim(LIMITS, 1000);
      expect(claimed.map((r) => r.messageId)).toEqual(['m-a-1', 'm-b-2', 'm-a-3']);
      expect(claimed[0]).toMatchObject({ endpoint: 'import', region: 'us', key: 'a', attempts: 0 });
      expect(await queue.claim(LIMITS, 1000)).toEqual([]);
      await queue.ack(claimed.map((r) => r.id));
      expect(await queue.size()).toBe(0);
    });

    it('makes a leased record claimable again once the lease expires', async () => {
      await queue.enqueue([rec('a', 1)]);
      const now = Date.now();
      expect(await queue.claim(LIMITS, 1000, now)).toHaveLength(1);
      expect(await queue.claim(LIMITS, 1000, now + 500)).toHaveLength(0);
      const again = await queue.claim(LIMITS, 1000, now + 1001);
      expect(again.map((r) => r.messageId)).toEqual(['m-a-1']);
    });

    it('holds back later records of a key while an earlier one waits for retry', async () => {
      await queue.enqueue([rec('a', 1)]);
      const now = Date.now();
      const [first] = await queue.claim(LIMITS, 10_000, now);
      await queue.enqueue([rec('a', 2), rec('b', 3)]);
      // a-2 must wait: a-1 is in flight.
      expect((await queue.claim(LIMITS, 10_000, now)).map((r) => r.messageId)).toEqual(['m-b-3']);
      await queue.retry([first!.id], now + 5_000, '503');
      expect(await queue.claim(LIMITS, 10_000, now + 1_000)).toEqual([]);
      const later = await queue.claim(LIMITS, 10_000, now + 5_000);
      expect(later.map((r) => [r.messageId, r.attempts])).toEqual([['m-a-1', 1], ['m-a-2', 0]]);
    });

    it('claims one endpoint run per key so a request never reorders a user', async () => {
      await queue.enqueue([rec('a', 1, 'import'), rec('a', 2, 'engage'), rec('a', 3, 'import'), rec('b', 4, 'engage')]);
      const first = await queue.claim(LIMITS, 10_000);
      expect(first.map((r) => r.messageId)).toEqual(['m-a-1', 'm-b-4']);
      await queue.ack(first.map((r) => r.id));
      const second = await queue.claim(LIMITS, 10_000);
      expect(second.map((r) => r.messageId)).toEqual(['m-a-2']);
      await queue.ack(second.map((r) => r.id));
      expect((await queue.claim(LIMITS, 10_000)).map((r) => r.messageId)).toEqual(['m-a-3']);
    });

    it('respects the record and byte limits of a claim', async () => {
      await queue.enqueue(Array.from({ length: 10 }, (_, i) => rec(`k${i}`, i)));
      expect(await queue.claim({ maxRecords: 4, maxBytes: 1_000_000 }, 1000)).toHaveLength(4);
      const oneSize = rec('x', 1).body.length;
      expect(await queue.claim({ maxRecords: 100, maxBytes: oneSize * 2 + 2 }, 1000)).toHaveLength(2);
    });

    it('dead-letters with a reason and no longer counts the record', async () => {
      await queue.enqueue([rec('a', 1), rec('a', 2)]);
      const [first] = await queue.claim({ maxRecords: 1, maxBytes: 1e6 }, 1000);
      await queue.deadLetter([first!.id], 'properties.time: too old');
      expect(await queue.size()).toBe(1);
      const dead = await queue.deadLetters();
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({ messageId: 'm-a-1', reason: 'properties.time: too old', attempts: 1 });
      // A dead letter does not block its key.
      expect((await queue.claim(LIMITS, 1000)).map((r) => r.messageId)).toEqual(['m-a-2']);
    });

    it('stores any body text exactly, control characters and empty bodies included', async () => {
      const bodies = ['{"a":1}', 'one\x1etwo', '', '\x1e', '{"b":"\u00e9\\n"}'];
      await queue.enqueue(bodies.map((body, n) => ({ ...rec('a', n), body })));
      await queue.enqueue([{ ...rec('b', 9), body: 'x\x1ey' }, rec('b', 10)]);
      const claimed = [...(await queue.claim(LIMITS, 1000)), ...(await queue.claim(LIMITS, 1000))];
      expect(claimed.filter((r) => r.key === 'a').map((r) => r.body)).toEqual(bodies);
      expect(claimed.filter((r) => r.key === 'b').map((r) => r.body)).toEqual(['x\x1ey', rec('b', 10).body]);
    });

    it('enqueues atomically', async () => {
      const bad = { ...rec('a', 2), body: undefined as unknown as string };
      await expect(queue.enqueue([rec('a', 1), bad])).rejects.toThrow();
      expect(await queue.size()).toBe(0);
      expect(await queue.claim(LIMITS, 1000)).toEqual([]);
    });

    // Only engines that several processes share have peers; SQLite's data directory has one owner.
    if (!options.peer) return;

    it('never lets a peer claim a key another holds, until its lease expires', async () => {
      const peer = await peerOf(queue);
      await queue.enqueue([rec('a', 1), rec('a', 2), rec('b', 3)]);
      const now = Date.now();
      expect((await queue.claim({ maxRecords: 1, maxBytes: 1e6 }, 1000, now)).map((r) => r.messageId)).toEqual(['m-a-1']);
      expect((await peer.claim(LIMITS, 10_000, now)).map((r) => r.messageId)).toEqual(['m-b-3']);
      // The first holder died: its lease expires and the peer takes the key over, in order.
      const taken = await peer.claim(LIMITS, 1000, now + 1001);
      expect(taken.map((r) => [r.messageId, r.attempts])).toEqual([['m-a-1', 0], ['m-a-2', 0]]);
      await peer.ack(taken.map((r) => r.id));
      expect(await peer.size()).toBe(1);
    });

    it('splits concurrent claims without overlap, each key in one claim, in order', async () => {
      const peer = await peerOf(queue);
      const records = Array.from({ length: 40 }, (_, k) => Array.from({ length: 4 }, (__, i) => rec(`k${k}`, k * 10 + i))).flat();
      await queue.enqueue(records);
      const limits = { maxRecords: 25, maxBytes: 1e6 };
      const seen = new Set<string>();
      for (let round = 0; round < 20 && seen.size < records.length; round++) {
        const claims = await Promise.all([queue, peer, queue, peer].map((q) => q.claim(limits, 60_000)));
        const owner = new Map<string, number>();
        claims.forEach((claim, c) => {
          for (const r of claim) {
            expect(seen.has(r.messageId)).toBe(false);
            seen.add(r.messageId);
            // A key's records in flight belong to one claimer only.
            expect(owner.get(r.key) ?? c).toBe(c);
            owner.set(r.key, c);
          }
          expect(claim.map((r) => r.id)).toEqual([...claim.map((r) => r.id)].sort((a, b) => a - b));
        });
        await Promise.all(claims.map((claim, c) => [queue, peer][c % 2]!.ack(claim.map((r) => r.id))));
      }
      expect(seen.size).toBe(records.length);
    });
  });
}
