import { describe, expect, it } from 'vitest';
import { formPost, handlerWith, importEvent, importPost, NOW_S, TOKEN } from './helpers.js';

const track = (event: string, props: Record<string, unknown>) => ({ event, properties: { token: TOKEN, time: NOW_S - 1, ...props } });

describe('simplified ID merge', () => {
  it('merges $device:<id> into the user on the first event with both ids', async () => {
    const emu = handlerWith();
    await emu.handle(
      formPost('/track', [
        track('Viewed', { distinct_id: '$device:d1', $device_id: 'd1' }),
        track('Signed Up', { distinct_id: 'u1', $device_id: 'd1', $user_id: 'u1' }),
        track('Paid', { distinct_id: 'u1', $user_id: 'u1' }),
      ]),
    );
    const cluster = emu.store.clusterOf('$device:d1');
    expect(cluster.canonical).toBe('u1');
    expect(cluster.ids.sort()).toEqual(['$device:d1', 'u1']);
    expect(emu.store.clusterOf('d1').canonical).toBe('u1');
    expect(emu.store.eventsOf('u1').map((e) => e.event)).toEqual(['Paid', 'Signed Up', 'Viewed']);
  });

  it('derives distinct_id from $user_id/$device_id on /import', async () => {
    const emu = handlerWith();
    await emu.handle(importPost([importEvent({ distinct_id: undefined, $device_id: 'd2' }), importEvent({ distinct_id: undefined, $device_id: 'd2', $user_id: 'u2' })]));
    expect(emu.store.eventsOf('u2').map((e) => e.distinctId).sort()).toEqual(['$device:d2', 'u2']);
  });

  it('never moves a device already merged into one user to another, and never merges two users', async () => {
    const emu = handlerWith();
    await emu.handle(formPost('/track', [track('A', { distinct_id: 'u1', $device_id: 'd1', $user_id: 'u1' }), track('B', { distinct_id: 'u2', $device_id: 'd1', $user_id: 'u2' })]));
    expect(emu.store.clusterOf('u2').ids).toEqual(['u2']);
    expect(emu.store.clusterOf('$device:d1').canonical).toBe('u1');
    expect(emu.store.rejections()[0]).toMatchObject({ field: 'identity', reason: expect.stringContaining('already merged') });
  });

  it('ignores $identify and $merge for merging', async () => {
    const emu = handlerWith();
    await emu.handle(formPost('/track', [track('$identify', { distinct_id: 'u1', $identified_id: 'u1', $anon_id: 'anon-7' })]));
    await emu.handle(importPost([{ event: '$merge', properties: { $distinct_ids: ['u1', 'u9'] } }]));
    expect(emu.store.clusterOf('anon-7').ids).toEqual(['anon-7']);
    expect(emu.store.clusterOf('u9').ids).toEqual(['u9']);
  });
});

describe('original ID merge', () => {
  it('$identify merges the anonymous id into the identified user', async () => {
    const emu = handlerWith({ identityMerge: 'original' });
    await emu.handle(formPost('/track', [track('Viewed', { distinct_id: 'anon-1' }), track('$identify', { distinct_id: 'u1', $identified_id: 'u1', $anon_id: 'anon-1' })]));
    expect(emu.store.clusterOf('anon-1')).toEqual({ canonical: 'u1', ids: expect.arrayContaining(['u1', 'anon-1']) });
    expect(emu.store.eventsOf('u1').map((e) => e.event)).toEqual(['$identify', 'Viewed']);
  });

  it('refuses $identify when the anonymous id already belongs to another user', async () => {
    const emu = handlerWith({ identityMerge: 'original' });
    await emu.handle(
      formPost('/track', [
        track('$identify', { distinct_id: 'u1', $identified_id: 'u1', $anon_id: 'anon-1' }),
        track('$identify', { distinct_id: 'u2', $identified_id: 'u2', $anon_id: 'anon-1' }),
      ]),
    );
    expect(emu.store.clusterOf('anon-1').canonical).toBe('u1');
    expect(emu.store.clusterOf('u2').ids).toEqual(['u2']);
    expect(emu.store.rejections()[0]?.reason).toMatch(/\$identify refused/);
  });

  it('$create_alias links an alias to a cluster, once', async () => {
    const emu = handlerWith({ identityMerge: 'original' });
    await emu.handle(formPost('/track', [track('$create_alias', { distinct_id: 'anon-1', alias: 'u1' }), track('$create_alias', { distinct_id: 'anon-2', alias: 'u1' })]));
    expect(emu.store.clusterOf('u1').ids.sort()).toEqual(['anon-1', 'u1']);
    expect(emu.store.rejections()[0]?.reason).toMatch(/\$create_alias refused/);
  });

  it('$merge joins any clusters, even two identified users', async () => {
    const emu = handlerWith({ identityMerge: 'original' });
    await emu.handle(formPost('/track', [track('$identify', { distinct_id: 'u1', $identified_id: 'u1', $anon_id: 'a1' }), track('$identify', { distinct_id: 'u2', $identified_id: 'u2', $anon_id: 'a2' })]));
    await emu.handle(importPost([{ event: '$merge', properties: { $distinct_ids: ['u1', 'u2'] } }]));
    expect(emu.store.clusterOf('a2').ids.sort()).toEqual(['a1', 'a2', 'u1', 'u2']);
  });
});
