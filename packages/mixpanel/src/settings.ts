import { isPlainObject } from '@tally/core';
import { has } from './traits.js';
import type { Region } from './types.js';

/** How identify and alias become Mixpanel identity data (Mixpanel's ID Merge versions). */
export type IdentityMerge = 'simplified' | 'original';

/** Resolved Mixpanel settings, every default filled in (see docs/mixpanel.md for each one). */
export interface MixpanelSettings {
  token: string;
  /** Project secret for /import (cloud only). */
  apiSecret?: string;
  /** Service account for /import (cloud only); needs `projectId`. */
  serviceAccount?: { username: string; secret: string };
  projectId?: string;
  region: Region;
  people: boolean;
  setAllTraitsByDefault: boolean;
  peopleProperties: string[];
  superProperties: string[];
  setOnceProperties: string[];
  consolidatedPageCalls: boolean;
  trackAllPages: boolean;
  trackCategorizedPages: boolean;
  trackNamedPages: boolean;
  pageEventTemplate?: string;
  screenEventTemplate?: string;
  eventIncrements: string[];
  propIncrements: string[];
  identityMerge: IdentityMerge;
  mergeOnIdentify: boolean;
  groupKeys: string[];
  /** Reject events older than this many days; none by default (Mixpanel /import has no age limit). */
  maxEventAgeDays?: number;
}

/** Which side will use the settings: device settings ship to browsers, so they must hold no secret. */
export interface ResolveOptions {
  side?: 'cloud' | 'device';
}

/** The resolver's answer: settings with defaults, or one error per bad field. */
export type ResolvedSettings = { ok: true; settings: MixpanelSettings } | { ok: false; errors: string[] };

const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const boolean = (v: unknown) => (typeof v === 'boolean' ? v : undefined);
const list = (v: unknown) => (Array.isArray(v) && v.every(isText) ? v.map((item) => item.trim()) : undefined);
// An optional text: empty is the same as absent.
const text = (v: unknown) => (v === '' || isText(v) ? v : undefined);
const oneOf = (...values: string[]) => (v: unknown) => (values.includes(v as string) ? v : undefined);
const BOOLEAN = 'must be true or false';
const LIST = 'must be a list of non-empty strings';
const TEXT = 'must be a non-empty string';

/**
 * Every setting: its default (none: not set), how a given value is read (undefined: invalid) and the
 * error naming what it must be. Segment's defaults (analytics.js-integrations mixpanel: people false,
 * setAllTraitsByDefault true, consolidatedPageCalls true). One table, so the device bundle carries
 * one loop rather than one branch per setting.
 */
const FIELDS: Record<string, [fallback: unknown, read: (value: unknown) => unknown, error: string]> = {
  token: ['', (v) => (isText(v) ? v.trim() : undefined), 'required, the Mixpanel project token (a non-empty string)'],
  region: ['us', oneOf('us', 'eu', 'in'), 'must be one of us, eu, in'],
  identityMerge: ['simplified', oneOf('simplified', 'original'), 'must be simplified or original'],
  people: [false, boolean, BOOLEAN],
  setAllTraitsByDefault: [true, boolean, BOOLEAN],
  consolidatedPageCalls: [true, boolean, BOOLEAN],
  trackAllPages: [false, boolean, BOOLEAN],
  trackCategorizedPages: [false, boolean, BOOLEAN],
  trackNamedPages: [false, boolean, BOOLEAN],
  mergeOnIdentify: [false, boolean, BOOLEAN],
  peopleProperties: [[], list, LIST],
  superProperties: [[], list, LIST],
  setOnceProperties: [[], list, LIST],
  eventIncrements: [[], list, LIST],
  propIncrements: [[], list, LIST],
  groupKeys: [[], list, LIST],
  apiSecret: [, text, TEXT],
  projectId: [, text, TEXT],
  pageEventTemplate: [, text, TEXT],
  screenEventTemplate: [, text, TEXT],
  maxEventAgeDays: [, (v) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined), 'must be a positive number of days'],
  serviceAccount: [
    ,
    (v) => (isPlainObject(v) && isText(v.username) && isText(v.secret) ? { username: v.username, secret: v.secret } : undefined),
    'must be { username, secret } (non-empty strings)',
  ],
};
// Device settings reach every visitor's browser: a secret there is a leaked secret.
const SECRETS = ['apiSecret', 'serviceAccount'];

/**
 * Validates Mixpanel settings and fills in defaults; errors name the field.
 * @example resolveMixpanelSettings({ token: 'abc', people: true }, { side: 'device' })
 */
export function resolveMixpanelSettings(input: unknown, options: ResolveOptions = {}): ResolvedSettings {
  if (!isPlainObject(input)) return { ok: false, errors: ['settings must be an object'] };
  const errors: string[] = [];
  const settings: Record<string, unknown> = {};
  for (const key of Object.keys(input)) if (!has(FIELDS, key)) errors.push(`${key}: unknown setting`);
  for (const [key, [fallback, read, error]] of Object.entries(FIELDS)) {
    const given = input[key] ?? fallback;
    if (given === undefined) continue;
    const value = read(given);
    if (value === undefined) errors.push(`${key}: ${error}`);
    else if (value !== '') settings[key] = value;
  }
  if (settings.serviceAccount && !settings.projectId) errors.push('projectId: required with serviceAccount (/import needs ?project_id=)');
  if (options.side === 'device') {
    for (const key of SECRETS) if (input[key] !== undefined) errors.push(`${key}: must not be in device-mode settings (it would ship to browsers)`);
  }
  return errors.length ? { ok: false, errors } : { ok: true, settings: settings as unknown as MixpanelSettings };
}
