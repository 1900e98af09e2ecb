import { describe, expect, it } from 'vitest';
import { body, formPost, handlerWith, TOKEN } from './helpers.js';

const engage = (update: Record<string, unknown>, distinctId = 'u1') => ({ $token: TOKEN, $distinct_id: distinctId, ...update });

describe('/engage', () => {
  it('applies $set, $set_once, $add, $append, $union, $remove and $unset as Mixpanel does', async () => {
    const emu = handlerWith();
    const updates = [
      engage({ $set: { name: 'Ada', plan: 'free' } }),
      engage({ $set_once: { name: 'Bob', first_seen: '2026-01-01' } }),
      engage({ $add: { logins: 1 } }),
      engage({ $add: { logins: 2.5 } }),
      engage({ $append: { $transactions: { $time: '2026-11-23T10:00:00', $amount: 30 } } }),
      engage({ $union: { tags: ['a', 'b'] } }),
      engage({ $union: { tags: ['b', 'c'] } }),
      engage({ $remove: { tags: 'a' } }),
      engage({ $unset: ['plan'] }),
    ];
    const res = await emu.handle(formPost('/engage/?verbose=1', updates));
    expect(body(res)).toEqual({ status: 1, error: null });
    expect({ ...emu.store.profileOf('u1')?.properties }).toEqual({
      name: 'Ada',
      first_seen: '2026-01-01',
      logins: 3.5,
      $transactions: [{ $time: '2026-11-23T10:00:00', $amount: 30 }],
      tags: ['b', 'c'],
    });
    expect(emu.store.profileOf('u1')?.updates).toBe(9);
  });

  it('refuses updates without $token or $distinct_id, with two operations, or with a non-number $add', async () => {
    const emu = handlerWith();
    const res = await emu.handle(
      formPost('/engage?verbose=1', [
        { $distinct_id: 'u1', $set: { a: 1 } },
        { $token: TOKEN, $set: { a: 1 } },
        engage({ $set: { a: 1 }, $add: { b: 1 } }),
        engage({ $add: { b: 'x' } }),
        engage({ $union: { b: 'not a list' } }),
        engage({ $unset: 'a' }),
        engage({ $set: { a: 1 } }, 'undefined'),
      ]),
    );
    expect(body(res)).toMatchObject({ status: 0, error: "'$token' is required" });
    expect(emu.store.rejections().map((r) => r.field).reverse()).toEqual(['$token', '$distinct_id', '', '$add.b', '$union.b', '$unset', '$distinct_id']);
    expect(emu.store.profiles()).toHaveLength(0);
  });

  it('tracks $ignore_time and $ip on the profile without storing them as properties', async () => {
    let now = 1000;
    const emu = handlerWith({ now: () => now });
    await emu.handle(formPost('/engage', [engage({ $set: { a: 1 }, $ip: '203.0.113.9' })]));
    now = 2000;
    await emu.handle(formPost('/engage', [engage({ $set: { a: 2 }, $ignore_time: true, $ip: '0' })]));
    expect(emu.store.profileOf('u1')).toMatchObject({ lastSeen: 1000, ip: '203.0.113.9' });
    expect(Object.keys(emu.store.profileOf('u1')?.properties ?? {})).toEqual(['a']);
  });

  it('$delete with $ignore_alias deletes only that profile; without it, the whole cluster', async () => {
    const emu = handlerWith();
    await emu.handle(formPost('/track', [{ event: 'E', properties: { token: TOKEN, $device_id: 'd1', $user_id: 'u1', distinct_id: 'u1' } }]));
    await emu.handle(formPost('/engage', [engage({ $set: { a: 1 } }, 'u1'), engage({ $set: { b: 1 } }, '$device:d1')]));
    expect({ ...emu.store.profileOf('$device:d1')?.properties }).toEqual({ a: 1, b: 1 });
    await emu.handle(formPost('/engage', [engage({ $delete: '', $ignore_alias: true }, '$device:d1')]));
    expect({ ...emu.store.profileOf('u1')?.properties }).toEqual({ a: 1 });
    await emu.handle(formPost('/engage', [engage({ $set: { b: 2 } }, '$device:d1'), engage({ $delete: null }, 'u1')]));
    expect(emu.store.profiles()).toHaveLength(0);
  });

  it('never lets __proto__ in an update reach a prototype', async () => {
    const emu = handlerWith();
    const raw = `[{"$token":"${TOKEN}","$distinct_id":"u1","$set":{"__proto__":{"isAdmin":true},"x":1}}]`;
    await emu.handle({ method: 'POST', url: '/engage', headers: { 'content-type': 'application/json' }, body: Buffer.from(raw) });
    const props = emu.store.profileOf('u1')?.properties ?? {};
    expect(Object.prototype.hasOwnProperty.call(props, '__proto__')).toBe(true);
    expect((props as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    expect(({} as { isAdmin?: unknown }).isAdmin).toBeUndefined();
  });
});

describe('/groups', () => {
  const group = (update: Record<string, unknown>, id = 'acme') => ({ $token: TOKEN, $group_key: 'company', $group_id: id, ...update });

  it('keys profiles by ($group_key, $group_id) and applies group operations', async () => {
    const emu = handlerWith();
    const res = await emu.handle(
      formPost('/groups/?verbose=1', [group({ $set: { name: 'Acme', size: 10 } }), group({ $set_once: { name: 'X', since: 2020 } }), group({ $union: { tags: ['b2b'] } }), group({ $unset: ['size'] }), group({ $set: { name: 'Other' } }, 'other')]),
    );
    expect(body(res)).toEqual({ status: 1, error: null });
    expect({ ...emu.store.groupOf('company', 'acme')?.properties }).toEqual({ name: 'Acme', since: 2020, tags: ['b2b'] });
    expect(emu.store.groups()).toHaveLength(2);
    await emu.handle(formPost('/groups', [group({ $delete: null }, 'other')]));
    expect(emu.store.groups()).toHaveLength(1);
  });

  it('refuses $add and $append on groups and updates without a group key', async () => {
    const emu = handlerWith();
    const res = await emu.handle(formPost('/groups?verbose=1', [group({ $add: { n: 1 } }), group({ $append: { l: 1 } }), { $token: TOKEN, $group_id: 'x', $set: { a: 1 } }]));
    expect(body(res)).toMatchObject({ status: 0, error: '$add is not supported on /groups' });
    expect(emu.store.groups()).toHaveLength(0);
  });
});
