import type { JsonObject } from '@tally/core';
import type { Plan } from './plan.js';

/** The mixpanel.js methods the device renderer calls (`get_group.set` means `get_group(key, id).set(props)`). */
export type DeviceMethod =
  | 'track'
  | 'identify'
  | 'alias'
  | 'register'
  | 'reset'
  | 'people.set'
  | 'people.set_once'
  | 'people.increment'
  | 'people.union'
  | 'people.append'
  | 'get_group.set';

/** One call on mixpanel.js: `{ method: 'track', args: [name, props] }`; for `get_group.set`, args are `[key, id, props]`. */
export interface DeviceCall {
  method: DeviceMethod;
  args: unknown[];
}

const PEOPLE_METHODS = [
  ['set', 'people.set'],
  ['setOnce', 'people.set_once'],
  ['add', 'people.increment'],
  ['union', 'people.union'],
  ['append', 'people.append'],
] as const;

/**
 * The mixpanel.js calls for a plan, in order: identity, event, super properties, profile, group.
 * mixpanel.js adds its own ids and context properties; `$insert_id` and `time` are passed so an
 * event replayed through the cloud fallback dedupes against this one.
 */
export function renderDevice(plan: Plan): DeviceCall[] {
  const calls: DeviceCall[] = [];
  const action = plan.identityAction;
  if (action?.kind === 'identify') {
    calls.push({ method: 'identify', args: [action.userId] });
    if (action.merge && action.anonymousId !== undefined) plan.warnings.push(['mergeDeviceOnly']);
  }
  if (action?.kind === 'alias') calls.push({ method: 'alias', args: [action.alias, action.original] });
  if (plan.event) {
    const properties: JsonObject = { ...plan.event.properties, $insert_id: plan.insertId, time: plan.time };
    calls.push({ method: 'track', args: [plan.event.name, properties] });
  }
  if (Object.keys(plan.superProperties).length) calls.push({ method: 'register', args: [plan.superProperties] });
  if (plan.people) {
    for (const [part, method] of PEOPLE_METHODS) {
      const values = plan.people[part];
      // mixpanel.js people methods take an object of name → value (increment: name → amount).
      if (Object.keys(values).length) calls.push({ method, args: [values] });
    }
  }
  const group = plan.group;
  if (group && Object.keys(group.set).length) calls.push({ method: 'get_group.set', args: [group.key, group.id, group.set] });
  return calls;
}
