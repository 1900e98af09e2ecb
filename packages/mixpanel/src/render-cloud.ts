import type { JsonObject } from '@tally/core';
import type { Plan } from './plan.js';
import type { MixpanelSettings } from './settings.js';
import type { Operation } from './types.js';

// One /engage update per operation, in Mixpanel's operator names.
const PEOPLE_OPERATORS = [
  ['set', '$set'],
  ['setOnce', '$set_once'],
  ['add', '$add'],
  ['union', '$union'],
  ['append', '$append'],
] as const;

/** The /import body of the plan's event: ids and time first, then context defaults, then its properties. */
export function eventRecord(plan: Plan, settings: MixpanelSettings): JsonObject | undefined {
  const { identity, event } = plan;
  if (!event) return undefined;
  // mapToCloud builds the record once to check its size (map-cloud.ts); the renderer reuses it.
  if (plan.eventRecord) return plan.eventRecord;
  const simplified = settings.identityMerge === 'simplified';
  // One object literal with spreads (a spread defines own keys, `__proto__` too): it stays in V8's
  // fast mode, unlike a record grown key by key past ~16 keys (dictionary mode), which made the
  // size check's JSON.stringify of it and its building about 2× slower.
  const properties: JsonObject = {
    token: settings.token,
    distinct_id: identity.distinctId,
    time: plan.time,
    $insert_id: plan.insertId,
    ...(simplified && identity.anonymousId !== undefined ? { $device_id: identity.anonymousId } : undefined),
    ...(simplified && identity.userId !== undefined ? { $user_id: identity.userId } : undefined),
    ...(plan.eventIp ? { ip: plan.eventIp } : undefined),
    ...event.contextProperties,
    ...event.properties,
  };
  return { event: event.name, properties };
}

/** Mixpanel HTTP operations for a plan: identity links first, then the event, profile and group updates. */
export function renderCloud(plan: Plan, settings: MixpanelSettings): Operation[] {
  const ops: Operation[] = [];
  const { token } = settings;
  const { identity, identityAction: action } = plan;
  // Original ID Merge links go first, so events with the new id arrive after them (Segment's alias race).
  if (action?.kind === 'identify' && settings.identityMerge === 'original' && action.anonymousId !== undefined) {
    const ids = { $identified_id: action.userId, $anon_id: action.anonymousId };
    ops.push({ endpoint: 'track', body: { event: '$identify', properties: { token, distinct_id: action.userId, ...ids } } });
    if (action.merge) {
      // $merge is accepted on /import only (project secret or service account), which wants time and $insert_id.
      const properties = { token, time: plan.time, $insert_id: plan.insertId, $distinct_ids: [action.userId, action.anonymousId] };
      ops.push({ endpoint: 'import', body: { event: '$merge', properties } });
    }
  }
  if (action?.kind === 'alias') {
    const properties = { token, distinct_id: action.original, alias: action.alias };
    ops.push({ endpoint: 'track', body: { event: '$create_alias', properties } });
  }
  const record = eventRecord(plan, settings);
  if (record) ops.push({ endpoint: 'import', body: record });
  if (plan.people) {
    const base: JsonObject = { $token: token, $distinct_id: identity.distinctId };
    if (plan.profile.ip) base.$ip = plan.profile.ip;
    if (plan.profile.ignoreTime) base.$ignore_time = true;
    for (const [part, operator] of PEOPLE_OPERATORS) {
      const values = plan.people[part];
      if (Object.keys(values).length) ops.push({ endpoint: 'engage', body: { ...base, [operator]: values } });
    }
  }
  const group = plan.group;
  if (group && Object.keys(group.set).length) {
    ops.push({ endpoint: 'groups', body: { $token: token, $group_key: group.key, $group_id: group.id, $set: group.set } });
  }
  return ops;
}
