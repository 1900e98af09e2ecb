import { decide } from './decide.js';
import { guard } from './guard.js';
import { renderDevice, type DeviceCall } from './render-device.js';
import type { MixpanelSettings } from './settings.js';
import type { Rejection } from './types.js';

/** The mapping's answer for one message on the device side: mixpanel.js calls, or a rejection. */
export type DeviceResult = { ok: true; calls: DeviceCall[]; warnings: string[] } | { ok: false; rejection: Rejection };

/**
 * Maps a Segment-spec message to the ordered mixpanel.js calls that record the same data as
 * `mapToCloud` would (same event name and properties), or a rejection.
 * Imports no cloud-only module (context properties, user-agent reader, /import records, 1 MB checks).
 * @example mapToDevice(message, settings, Date.now()) // { ok: true, calls: [{ method: 'track', args: [...] }] }
 */
export function mapToDevice(message: unknown, settings: MixpanelSettings, now: number): DeviceResult {
  return guard((): DeviceResult => {
    const plan = decide(message, settings, now);
    const calls = renderDevice(plan);
    return { ok: true, calls, warnings: plan.warnings };
  });
}
