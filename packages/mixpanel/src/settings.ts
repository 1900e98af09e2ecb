import { isPlainObject } from '@tally/core';
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

// Segment's defaults (analytics.js-integrations mixpanel: people false, setAllTraitsByDefault true, consolidatedPageCalls true).
const BOOLEANS = {
  people: false,
  setAllTraitsByDefault: true,
  consolidatedPageCalls: true,
  trackAllPages: false,
  trackCategorizedPages: false,
  trackNamedPages: false,
  mergeOnIdentify: false,
} as const;
const LISTS = ['peopleProperties', 'superProperties', 'setOnceProperties', 'eventIncrements', 'propIncrements', 'groupKeys'] as const;
const STRINGS = ['apiSecret', 'projectId', 'pageEventTemplate', 'screenEventTemplate'] as const;
const KNOWN = new Set<string>(['token', 'serviceAccount', 'region', 'identityMerge', 'maxEventAgeDays', ...Object.keys(BOOLEANS), ...LISTS, ...STRINGS]);
const REGIONS: readonly string[] = ['us', 'eu', 'in'];

/**
 * Validates Mixpanel settings and fills in defaults; errors name the field.
 * @example resolveMixpanelSettings({ token: 'abc', people: true }, { side: 'device' })
 */
export function resolveMixpanelSettings(input: unknown, options: ResolveOptions = {}): ResolvedSettings {
  if (!isPlainObject(input)) return { ok: false, errors: ['settings must be an object'] };
  const errors: string[] = [];
  const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
  const settings: MixpanelSettings = {
    token: '',
    region: 'us',
    identityMerge: 'simplified',
    ...BOOLEANS,
    peopleProperties: [],
    superProperties: [],
    setOnceProperties: [],
    eventIncrements: [],
    propIncrements: [],
    groupKeys: [],
  };
  for (const key of Object.keys(input)) if (!KNOWN.has(key)) errors.push(`${key}: unknown setting`);

  if (nonEmpty(input.token)) settings.token = input.token.trim();
  else errors.push('token: required, the Mixpanel project token (a non-empty string)');

  for (const [key, fallback] of Object.entries(BOOLEANS) as [keyof typeof BOOLEANS, boolean][]) {
    const value = input[key] ?? fallback;
    if (typeof value === 'boolean') settings[key] = value;
    else errors.push(`${key}: must be true or false`);
  }
  for (const key of LISTS) {
    const value = input[key] ?? [];
    if (Array.isArray(value) && value.every(nonEmpty)) settings[key] = value.map((v) => v.trim());
    else errors.push(`${key}: must be a list of non-empty strings`);
  }
  for (const key of STRINGS) {
    const value = input[key];
    if (value === undefined || value === null || value === '') continue;
    if (nonEmpty(value)) settings[key] = value;
    else errors.push(`${key}: must be a non-empty string`);
  }

  const region = input.region ?? 'us';
  if (typeof region === 'string' && REGIONS.includes(region)) settings.region = region as Region;
  else errors.push('region: must be one of us, eu, in');

  const merge = input.identityMerge ?? 'simplified';
  if (merge === 'simplified' || merge === 'original') settings.identityMerge = merge;
  else errors.push('identityMerge: must be simplified or original');

  const age = input.maxEventAgeDays;
  if (typeof age === 'number' && Number.isFinite(age) && age > 0) settings.maxEventAgeDays = age;
  else if (age !== undefined && age !== null) errors.push('maxEventAgeDays: must be a positive number of days');

  const account = input.serviceAccount;
  if (isPlainObject(account) && nonEmpty(account.username) && nonEmpty(account.secret)) {
    settings.serviceAccount = { username: account.username, secret: account.secret };
    if (!settings.projectId) errors.push('projectId: required with serviceAccount (/import needs ?project_id=)');
  } else if (account !== undefined && account !== null) {
    errors.push('serviceAccount: must be { username, secret } (non-empty strings)');
  }

  if (options.side === 'device') {
    // Device settings reach every visitor's browser: a secret there is a leaked secret.
    if (input.apiSecret !== undefined) errors.push('apiSecret: must not be in device-mode settings (it would ship to browsers)');
    if (input.serviceAccount !== undefined) errors.push('serviceAccount: must not be in device-mode settings (it would ship to browsers)');
  }
  return errors.length ? { ok: false, errors } : { ok: true, settings };
}
