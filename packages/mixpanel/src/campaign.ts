import { isPlainObject, type Context, type JsonObject } from '@tally/core';

/** `context.campaign` as Mixpanel's `utm_*` properties (`name` is the campaign: `utm_campaign`). */
export function campaignProperties(context: Context): JsonObject {
  const campaign = context.campaign;
  const out: JsonObject = {};
  if (!isPlainObject(campaign)) return out;
  for (const [key, value] of Object.entries(campaign)) {
    if (value === undefined || value === null || value === '' || typeof value === 'object') continue;
    out[key === 'name' ? 'utm_campaign' : `utm_${key}`] = value;
  }
  return out;
}
