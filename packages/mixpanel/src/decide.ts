import { isNonEmptyString, isPlainObject, type Context, type JsonObject, type Message } from '@tally/core';
import { decideEvent, decideEventEffects, type ContextDefaults } from './decide-event.js';
import { decideGroup, decideIdentify } from './decide-profile.js';
import { resolveIdentity } from './identity.js';
import { toInsertId } from './insert-id.js';
import { fail, type Warning } from './messages.js';
import { pageEventName } from './page-name.js';
import { emptyPeople, type Plan } from './plan.js';
import type { MixpanelSettings } from './settings.js';

const TYPES = ['track', 'page', 'screen', 'identify', 'alias', 'group'];
// /import accepts `time` from 1971-01-01 to 1 hour ahead of Mixpanel's clock (MIXPANEL.md §2).
const MIN_TIME = Date.UTC(1971, 0, 1);
const MAX_AHEAD_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const PAGE_FIELDS = ['path', 'referrer', 'search', 'title', 'url'];

/** The message time in ms, checked against Mixpanel's window and the optional age limit. */
function readTime(timestamp: unknown, settings: MixpanelSettings, now: number): number {
  const time = typeof timestamp === 'string' ? Date.parse(timestamp) : NaN;
  if (Number.isNaN(time)) fail('invalid_timestamp', JSON.stringify(timestamp) ?? 'missing');
  if (time > now + MAX_AHEAD_MS) fail('time_in_future', String(timestamp));
  if (time < MIN_TIME) fail('time_before_1971', String(timestamp));
  if (settings.maxEventAgeDays !== undefined && time < now - settings.maxEventAgeDays * DAY_MS) {
    fail('time_too_old', `${String(timestamp)} (limit ${settings.maxEventAgeDays} days)`);
  }
  return time;
}

/** `properties` as an object: absent is empty, anything else but a plain object is rejected. */
function readProperties(value: unknown): JsonObject {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) fail('invalid_properties', Array.isArray(value) ? 'got an array' : `got ${typeof value}`);
  return value;
}

/** Page/screen properties: the page context, then the call's properties, then its name and category. */
function pageProperties(message: { name?: unknown; category?: unknown; properties?: unknown }, context: Context): JsonObject {
  const page: JsonObject = isPlainObject(context.page) ? context.page : {};
  const out: JsonObject = {};
  for (const key of PAGE_FIELDS) if (page[key] !== undefined) out[key] = page[key];
  Object.assign(out, readProperties(message.properties));
  if (message.name !== undefined && out.name === undefined) out.name = message.name;
  if (message.category !== undefined && out.category === undefined) out.category = message.category;
  return out;
}

/**
 * The one decision step both modes share: validates a Segment-spec message and decides what it
 * means in Mixpanel (event, profile and group updates, super properties, identity link).
 * Throws a rejection (caught by the public functions) when the message cannot be sent.
 * `defaults` builds Mixpanel's default context properties (cloud side only; the 1 MB size check is
 * also cloud-only, in map-cloud.ts), so the device path bundles neither.
 */
export function decide(input: unknown, settings: MixpanelSettings, now: number, defaults?: ContextDefaults): Plan {
  if (!isPlainObject(input) || typeof input.type !== 'string' || !TYPES.includes(input.type)) {
    fail('invalid_message', isPlainObject(input) ? `type ${JSON.stringify(input.type) ?? 'missing'}` : undefined);
  }
  const message = input as unknown as Message;
  if (!isNonEmptyString(message.messageId)) fail('invalid_message_id');
  if (message.context !== undefined && message.context !== null && !isPlainObject(message.context)) fail('invalid_context');
  const context: Context = message.context ?? {};
  const time = readTime(message.timestamp, settings, now);
  const warnings: Warning[] = [];
  const identity = resolveIdentity(message, settings, warnings);
  const plan: Plan = { identity, time, insertId: toInsertId(message.messageId), superProperties: {}, profile: {}, warnings };
  const ip = context.ip;
  if (ip === 0 || ip === '0') plan.profile.ip = '0';
  else if (isNonEmptyString(ip)) plan.profile.ip = plan.eventIp = ip;
  if (context.active === false) plan.profile.ignoreTime = true;
  if (settings.people) plan.people = emptyPeople();

  switch (message.type) {
    case 'track': {
      if (!isNonEmptyString(message.event)) fail('missing_event_name');
      const properties = readProperties(message.properties);
      decideEvent(plan, { name: message.event, properties, context, settings, defaults });
      decideEventEffects(plan, message.event, properties, settings);
      break;
    }
    case 'page':
    case 'screen': {
      const properties = pageProperties(message, context);
      const name = pageEventName(message.type, message.name, message.category, settings);
      if (name === undefined) warnings.push(['noPageEvent']);
      else {
        decideEvent(plan, { name, properties, context, settings, defaults });
        decideEventEffects(plan, name, properties, settings);
      }
      break;
    }
    case 'identify':
      decideIdentify(plan, message, context, settings);
      break;
    case 'group':
      decideGroup(plan, message, context, settings);
      break;
    case 'alias': {
      const { userId, previousId } = message;
      if (!isNonEmptyString(userId) || !isNonEmptyString(previousId)) fail('missing_previous_id');
      if (settings.identityMerge === 'simplified') warnings.push(['aliasSimplified']);
      else plan.identityAction = { kind: 'alias', alias: userId, original: previousId };
      break;
    }
  }
  return finishPeople(plan);
}

/** Drops empty people parts, and all of them for an anonymous user (mixpanel.js also waits for identify). */
function finishPeople(plan: Plan): Plan {
  const people = plan.people;
  if (!people) return plan;
  const empty = Object.values(people).every((part) => Object.keys(part).length === 0);
  if (empty || plan.identity.userId === undefined) {
    if (!empty) plan.warnings.push(['anonymousProfile']);
    delete plan.people;
  }
  return plan;
}
