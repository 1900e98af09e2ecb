import { decide } from './decide.js';
import { reject, RejectionError } from './messages.js';
import { renderCloud } from './render-cloud.js';
import { renderDevice, type DeviceCall } from './render-device.js';
import type { MixpanelSettings } from './settings.js';
import type { CloudResult, Operation, Rejection } from './types.js';

/** The mapping's answer for one message on the device side: mixpanel.js calls, or a rejection. */
export type DeviceResult = { ok: true; calls: DeviceCall[]; warnings: string[] } | { ok: false; rejection: Rejection };

/** Every failure becomes a rejection: the mapping never throws at its callers. */
function guard<T>(run: () => T): T | { ok: false; rejection: Rejection } {
  try {
    return run();
  } catch (error) {
    if (error instanceof RejectionError) return { ok: false, rejection: error.rejection };
    return { ok: false, rejection: reject('internal_error', error instanceof Error ? error.message : String(error)) };
  }
}

/**
 * Maps a Segment-spec message to Mixpanel HTTP operations (events to /import, Original ID
 * Merge links to /track, profiles to /engage, groups to /groups), or a rejection with a reason.
 * @example mapToCloud({ type: 'track', event: 'Signed Up', ... }, settings, Date.now())
 */
export function mapToCloud(message: unknown, settings: MixpanelSettings, now: number): CloudResult {
  return guard((): CloudResult => {
    const plan = decide(message, settings, now);
    const operations = renderCloud(plan, settings);
    return { ok: true, operations, warnings: plan.warnings, superProperties: plan.superProperties };
  });
}

/**
 * Maps a Segment-spec message to the ordered mixpanel.js calls that record the same data as
 * `mapToCloud` would (same event name and properties), or a rejection.
 * @example mapToDevice(message, settings, Date.now()) // { ok: true, calls: [{ method: 'track', args: [...] }] }
 */
export function mapToDevice(message: unknown, settings: MixpanelSettings, now: number): DeviceResult {
  return guard((): DeviceResult => {
    const plan = decide(message, settings, now);
    const calls = renderDevice(plan);
    return { ok: true, calls, warnings: plan.warnings };
  });
}

/** The /engage operation that deletes one user profile (only that profile: `$ignore_alias`). */
export function deleteUser(userId: string, settings: MixpanelSettings): Operation {
  return {
    endpoint: 'engage',
    body: { $token: settings.token, $distinct_id: userId, $delete: null, $ignore_alias: true },
  };
}
