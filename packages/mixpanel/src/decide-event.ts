import { isHostileKey, type Context, type JsonObject } from '@tally/core';
import { campaignProperties } from './campaign.js';
import { limitPropertyCount } from './limits.js';
import type { Warning } from './messages.js';
import type { Plan } from './plan.js';
import { sanitizeProperties, wellFormed } from './sanitize.js';
import type { MixpanelSettings } from './settings.js';
import { has } from './traits.js';

// Properties the mapping owns on every event; a user's value never replaces them.
const PROTECTED = ['token', 'distinct_id', 'time', '$insert_id', '$device_id', '$user_id'];

/** What the event step needs besides the properties. */
export interface EventInput {
  name: string;
  properties: JsonObject;
  context: Context;
  settings: MixpanelSettings;
  /** Mixpanel default properties from the context (cloud only: mixpanel.js adds its own on the device). */
  defaults?: ContextDefaults;
}

/** Builds the Mixpanel default properties of a context (`contextProperties`, cloud side). */
export type ContextDefaults = (context: Context) => JsonObject;

/** The group a track/page call belongs to: `context.groupId`, keyed by `context.groupKey` or the first `groupKeys`. */
function groupProperty(context: Context, settings: MixpanelSettings): JsonObject {
  const id = context.groupId as unknown;
  const key = typeof context.groupKey === 'string' && context.groupKey ? context.groupKey : settings.groupKeys[0];
  if (!key || isHostileKey(key) || (typeof id !== 'string' && typeof id !== 'number') || id === '') return {};
  // A list, as mixpanel.js `set_group` registers it, so device and cloud events read the same.
  return { [key]: [String(id)] };
}

/** Count of the id and time properties the cloud renderer adds to the event. */
function identityCount(plan: Plan, settings: MixpanelSettings): number {
  let n = 4; // token, distinct_id, time, $insert_id
  if (settings.identityMerge === 'simplified') {
    if (plan.identity.anonymousId !== undefined) n++;
    if (plan.identity.userId !== undefined) n++;
  }
  return plan.eventIp ? n + 1 : n;
}

/**
 * Decides one event: user properties cleaned, protected names kept for the mapping, campaign
 * and group properties added (a user's own value wins), context defaults apart, and the
 * 254-property limit applied with generated properties kept first. The budget counts the context
 * defaults only where they are built (cloud): on the device, mixpanel.js adds its own.
 */
export function decideEvent(plan: Plan, input: EventInput): void {
  const { settings, context } = input;
  const owned = plan.eventIp || plan.profile.ip === '0' ? [...PROTECTED, 'ip'] : PROTECTED;
  const raw: JsonObject = {};
  for (const [key, value] of Object.entries(input.properties)) {
    if (owned.includes(key)) plan.warnings.push(['overridden', key]);
    else raw[key] = value;
  }
  const user = sanitizeProperties(raw, plan.warnings);
  const generated: JsonObject = { ...campaignProperties(context), ...groupProperty(context, settings) };
  const defaults = input.defaults ? input.defaults(context) : {};
  // A user's own value wins over a generated or default one.
  for (const part of [generated, defaults]) for (const key of Object.keys(part)) if (has(user, key)) delete part[key];
  const budgetUsed = identityCount(plan, settings) + Object.keys(defaults).length + Object.keys(generated).length;
  const kept = limitPropertyCount(budgetUsed, user, plan.warnings);
  plan.event = {
    name: wellFormed(input.name),
    properties: { ...generated, ...kept },
    contextProperties: defaults,
  };
}

const numeric = (v: unknown): number | undefined => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
};

/**
 * Profile effects of an event: `eventIncrements` (+1 and `Last {event}`), `propIncrements`,
 * revenue as a `$transactions` charge, and `superProperties` picked from the properties.
 */
export function decideEventEffects(plan: Plan, name: string, properties: JsonObject, settings: MixpanelSettings): void {
  const people = plan.people;
  const iso = new Date(plan.time).toISOString();
  if (people) {
    const lower = name.toLowerCase();
    if (!isHostileKey(name) && settings.eventIncrements.some((e) => e.toLowerCase() === lower)) {
      people.add[name] = 1;
      people.set[`Last ${name}`] = iso;
    }
    const incremented = new Set(settings.propIncrements.map((p) => p.toLowerCase()));
    for (const [key, value] of Object.entries(properties)) {
      const amount = typeof value === 'number' && Number.isFinite(value) ? value : undefined;
      if (amount === undefined || isHostileKey(key) || !incremented.has(key.toLowerCase())) continue;
      people.add[key] = (has(people.add, key) ? people.add[key]! : 0) + amount;
    }
    const revenue = numeric(properties.revenue);
    if (revenue) people.append.$transactions = { $time: iso, $amount: revenue };
  }
  const picked = plan.event?.properties ?? {};
  for (const key of settings.superProperties) {
    if (has(picked, key)) plan.superProperties[key] = picked[key];
  }
}
