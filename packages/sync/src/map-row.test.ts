import { describe, expect, it } from 'vitest';
import { createRowMapper, resolveSyncConfig, type MapResult } from './index.js';

const mixpanel = { token: 'tok' };
const mapperFor = (sync: Record<string, unknown>) => {
  const config = resolveSyncConfig({ source: 'sqlite:x', mixpanel, syncs: [{ name: 's', query: 'SELECT 1', ...sync }] });
  return createRowMapper(config.syncs[0]!, config.mixpanel);
};
const bodies = (r: MapResult) => (r.ok ? r.record.bodies.map((b) => JSON.parse(b) as Record<string, unknown>) : r.reason);
const DAY_AGO_MS = Date.now() - 86_400_000;

describe('row mapping', () => {
  it('events: name from a column, time as ms, date or text, $insert_id from a column made valid by toInsertId', () => {
    const map = mapperFor({ object: 'event', event: { column: 'kind' }, time: 'at', distinctId: 'uid', insertId: 'id', properties: { n: 'n' } });
    const iso = new Date(DAY_AGO_MS).toISOString();
    for (const at of [DAY_AGO_MS, new Date(DAY_AGO_MS), iso, String(DAY_AGO_MS), DAY_AGO_MS / 1000]) {
      const [event] = bodies(map({ kind: 'Paid', at, uid: 7, id: 'abc-1', n: 1n })) as Array<{ event: string; properties: Record<string, unknown> }>;
      expect(event).toMatchObject({ event: 'Paid', properties: { distinct_id: '7', time: DAY_AGO_MS, $insert_id: 'abc-1', n: '1' } });
    }
    const [event] = bodies(map({ kind: 'Paid', at: DAY_AGO_MS, uid: 'u', id: 'order #1/2', n: 1 })) as Array<{ properties: { $insert_id: string } }>;
    expect(event!.properties.$insert_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('events: the same key gives the same $insert_id and hash; a change gives a new hash', () => {
    const map = mapperFor({ object: 'event', event: 'E', time: 'at', distinctId: 'uid', key: ['a', 'b'] });
    const one = map({ a: 1, b: 'x', at: DAY_AGO_MS, uid: 'u' });
    const two = map({ a: 1, b: 'x', at: DAY_AGO_MS, uid: 'u' });
    const changed = map({ a: 1, b: 'x', at: DAY_AGO_MS + 1000, uid: 'u' });
    expect(one.ok && two.ok && changed.ok).toBe(true);
    if (!one.ok || !two.ok || !changed.ok) return;
    expect(one.record).toEqual(two.record);
    expect(one.record.key).toBe('["1","x"]');
    expect(changed.record.hash).not.toBe(one.record.hash);
  });

  it('refuses rows the mapping refuses, with its reason', () => {
    const map = mapperFor({ object: 'event', event: 'E', time: 'at', distinctId: 'uid', key: 'id' });
    expect(map({ id: 1, at: 'soon', uid: 'u' })).toMatchObject({ ok: false, key: '["1"]', reason: expect.stringContaining('time "soon"') });
    expect(map({ id: 2, at: Date.now() + 7_200_000, uid: 'u' })).toMatchObject({ ok: false, reason: expect.stringContaining('1 hour ahead') });
    expect(map({ id: 3, at: DAY_AGO_MS, uid: 'undefined' })).toMatchObject({ ok: false, reason: expect.stringContaining('placeholder') });
  });

  it('users: $set with reserved names, $set_once, nulls as $unset, $ignore_time and $ip 0', () => {
    const map = mapperFor({ object: 'user', distinctId: 'id', set: { email: 'email', name: 'name', plan: 'plan' }, setOnce: { created: 'created', source: 'src' } });
    expect(bodies(map({ id: 'u1', email: 'a@b.c', name: 'Ada', plan: null, created: '2026-01-01', src: null }))).toEqual([
      { $token: 'tok', $distinct_id: 'u1', $ip: '0', $ignore_time: true, $set: { $email: 'a@b.c', $name: 'Ada' } },
      { $token: 'tok', $distinct_id: 'u1', $ip: '0', $ignore_time: true, $set_once: { $created: '2026-01-01' } },
      { $token: 'tok', $distinct_id: 'u1', $ip: '0', $ignore_time: true, $unset: ['plan'] },
    ]);
  });

  it('groups: $set by key and id, nulls as $unset; a missing column names the field', () => {
    const map = mapperFor({ object: 'group', groupKey: 'company', groupId: 'id', set: { $name: 'name', seats: 'seats' } });
    expect(bodies(map({ id: 5, name: 'Acme', seats: null }))).toEqual([
      { $token: 'tok', $group_key: 'company', $group_id: '5', $set: { $name: 'Acme' } },
      { $token: 'tok', $group_key: 'company', $group_id: '5', $unset: ['seats'] },
    ]);
    const fresh = mapperFor({ object: 'group', groupKey: 'company', groupId: 'id', set: { $name: 'title' } });
    expect(() => fresh({ id: 1, name: 'x' })).toThrow(/s\.set\.\$name: column "title"/);
  });
});
