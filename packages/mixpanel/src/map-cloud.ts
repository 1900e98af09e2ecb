// Cloud-only: the HTTP side of the mapping. Device mode never imports this module.
import { contextProperties } from './context-properties.js';
import { decide } from './decide.js';
import { guard } from './guard.js';
import { reject, warningText } from './messages.js';
import type { Plan } from './plan.js';
import { assertRecordSize } from './record-size.js';
import { eventRecord, renderCloud } from './render-cloud.js';
import type { MixpanelSettings } from './settings.js';
import type { CloudResult, Operation } from './types.js';

/** Rejects the message when any record it makes is over Mixpanel's 1 MB limit. */
function checkSizes(plan: Plan, settings: MixpanelSettings): Plan {
  const event = eventRecord(plan, settings);
  if (event) {
    assertRecordSize(event, 'the event');
    plan.eventRecord = event;
  }
  for (const part of Object.values(plan.people ?? {})) assertRecordSize(part, 'a profile update');
  if (plan.group) assertRecordSize(plan.group.set, 'the group update');
  assertRecordSize(plan.superProperties, 'the super properties');
  return plan;
}

/**
 * Maps a Segment-spec message to Mixpanel HTTP operations (events to /import, Original ID
 * Merge links to /track, profiles to /engage, groups to /groups), or a rejection with a reason.
 * @example mapToCloud({ type: 'track', event: 'Signed Up', ... }, settings, Date.now())
 */
export function mapToCloud(message: unknown, settings: MixpanelSettings, now: number): CloudResult {
  return guard((): CloudResult => {
    const plan = checkSizes(decide(message, settings, now, contextProperties), settings);
    const operations = renderCloud(plan, settings);
    return { ok: true, operations, warnings: plan.warnings.map(warningText), superProperties: plan.superProperties };
  }, reject);
}

/** The /engage operation that deletes one user profile (only that profile: `$ignore_alias`). */
export function deleteUser(userId: string, settings: MixpanelSettings): Operation {
  return {
    endpoint: 'engage',
    body: { $token: settings.token, $distinct_id: userId, $delete: null, $ignore_alias: true },
  };
}
