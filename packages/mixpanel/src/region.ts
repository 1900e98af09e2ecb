import type { Region } from './types.js';

const HOSTS: Record<Region, string> = {
  us: 'https://api.mixpanel.com',
  eu: 'https://api-eu.mixpanel.com',
  in: 'https://api-in.mixpanel.com',
};

/** The Mixpanel ingestion host for a data-residency region, e.g. `https://api-eu.mixpanel.com`. */
export function apiHost(region: Region): string {
  return HOSTS[region] ?? HOSTS.us;
}
