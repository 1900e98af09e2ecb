import { decide } from './decide.js';
import { guard } from './guard.js';
import type { Describe } from './messages.js';
import { renderDevice, type DeviceCall } from './render-device.js';
import type { MixpanelSettings } from './settings.js';
import type { Rejection } from './types.js';

// The device bundle carries no sentence: a rejection's message is its code and detail
// (`time_in_future: 2030-01-01T00:00:00Z`), a warning its key and values; REJECTIONS and WARNINGS word them.
const describe: Describe = (code, detail) => ({ code, message: detail ? `${code}: ${detail}` : code });

/** The mapping's answer for one message on the device side: mixpanel.js calls, or a rejection. */
export type DeviceResult = { ok: true; calls: DeviceCall[]; warnings: string[] } | { ok: false; rejection: Rejection };

/**
 * Maps a Segment-spec message to the ordered mixpanel.js calls that record the same data as
 * `mapToCloud` would (same event name and properties), or a rejection with the same code. Rejections
 * and warnings are worded by code (see `REJECTIONS`, `WARNINGS`) rather than sentence.
 * Imports no cloud-only module (context properties, user-agent reader, /import records, 1 MB checks).
 * @example mapToDevice(message, settings, Date.now()) // { ok: true, calls: [{ method: 'track', args: [...] }] }
 */
export function mapToDevice(message: unknown, settings: MixpanelSettings, now: number): DeviceResult {
  return guard((): DeviceResult => {
    const plan = decide(message, settings, now);
    const calls = renderDevice(plan);
    return { ok: true, calls, warnings: plan.warnings.map((warning) => warning.join(' ')) };
  }, describe);
}
