import { isHostileKey, type Context } from '@tally/core';
import { parseObject } from './json-copy.js';
import type { Store } from './storage/store.js';

/** Campaign fields of a `utm_*` query: `utm_campaign` → `name`, any other `utm_x` → `x`. */
export type Campaign = NonNullable<Context['campaign']>;

/** The campaign in a query string, or undefined when it has no `utm_` parameter. */
export function parseCampaign(search: string): Campaign | undefined {
  let campaign: Campaign | undefined;
  try {
    new URLSearchParams(search).forEach((value, key) => {
      const field = key.slice(4);
      if (key.startsWith('utm_') && field && !isHostileKey(field)) (campaign ??= {})[field === 'campaign' ? 'name' : field] = value;
    });
  } catch {
    /* a browser without URLSearchParams: no campaign */
  }
  return campaign;
}

/**
 * The session's campaign for a page with query `search`: the page's own UTMs (remembered in `session`
 * for later pages), else the remembered ones.
 */
export function sessionCampaign(search: string, session: Store): Campaign | undefined {
  const found = parseCampaign(search);
  if (found) session.set('campaign', JSON.stringify(found));
  return found ?? (parseObject(session.get('campaign')) as Campaign | undefined);
}
