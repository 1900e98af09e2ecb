import { describe, expect, test } from 'vitest';
import { mapToCloud } from './map.js';
import { cloud, device, msg, NOW, settings } from '../test/fixtures.js';

describe('group', () => {
  test('group → /groups $set and the user\'s /engage $union; key registered as a super property', () => {
    const result = cloud(msg('group', { groupId: 'acme', traits: { name: 'Acme', employees: 40 } }), settings({ people: true, groupKeys: ['company'] }));
    expect(result.operations).toEqual([
      { endpoint: 'engage', body: { $token: 'tok', $distinct_id: 'user-1', $union: { company: ['acme'] } } },
      { endpoint: 'groups', body: { $token: 'tok', $group_key: 'company', $group_id: 'acme', $set: { name: 'Acme', employees: 40 } } },
    ]);
    expect(result.superProperties).toEqual({ company: ['acme'] });
  });

  test.each([
    ['groupId from traits when the message has none', { groupId: undefined, traits: { groupId: 'g-2', size: 1 } }, { groupKeys: ['company'] }, 'company', 'g-2'],
    ['numeric groupId as string', { groupId: 12 }, { groupKeys: ['company'] }, 'company', '12'],
    ['traits.groupKey wins over groupKeys', { groupId: 'x', traits: { groupKey: 'team', size: 1 } }, { groupKeys: ['company'] }, 'team', 'x'],
    ['traits.groupKey without groupKeys', { groupId: 'x', traits: { groupKey: 'team', size: 1 } }, {}, 'team', 'x'],
  ])('%s', (_, fields, overrides, key, id) => {
    const ops = cloud(msg('group', { traits: { size: 1 }, ...fields }), settings(overrides)).operations;
    const group = ops.find((op) => op.endpoint === 'groups')!.body;
    expect(group).toMatchObject({ $group_key: key, $group_id: id, $set: { size: 1 } });
    expect(group.$set).not.toHaveProperty('groupKey');
    expect(group.$set).not.toHaveProperty('groupId');
  });

  test('people off: no user profile update', () => {
    const ops = cloud(msg('group', { groupId: 'acme', traits: { a: 1 } }), settings({ groupKeys: ['company'] })).operations;
    expect(ops.map((op) => op.endpoint)).toEqual(['groups']);
  });

  test.each([
    ['missing_group_key', { groupId: 'acme' }, {}],
    ['missing_group_id', { groupId: undefined }, { groupKeys: ['company'] }],
    ['missing_group_id', { groupId: ' ' }, { groupKeys: ['company'] }],
  ])('rejects with %s', (code, fields, overrides) => {
    const result = mapToCloud(msg('group', fields), settings(overrides), NOW);
    expect(result.ok === false && result.rejection.code).toBe(code);
  });

  test('device: get_group.set, register and people.union', () => {
    const calls = device(msg('group', { groupId: 'acme', traits: { name: 'Acme' } }), settings({ people: true, groupKeys: ['company'] })).calls;
    expect(calls).toEqual([
      { method: 'register', args: [{ company: ['acme'] }] },
      { method: 'people.union', args: [{ company: ['acme'] }] },
      { method: 'get_group.set', args: ['company', 'acme', { name: 'Acme' }] },
    ]);
  });
});
