import type { Region } from './types.js';

// Mixpanel's ingestion hosts (MIXPANEL.md §1): api. and api-js. are US, api-eu. EU, api-in. India.
const HOSTS: Record<string, Region> = {
  'api.mixpanel.com': 'us',
  'api-js.mixpanel.com': 'us',
  'api-eu.mixpanel.com': 'eu',
  'api-in.mixpanel.com': 'in',
};

/**
 * The region a request addresses and the path without its region prefix: a `/us`, `/eu` or
 * `/in` path prefix (so local clients can pick a region) wins over the Host header; default US.
 */
export function resolveRegion(host: string | undefined, path: string): { region: Region; path: string } {
  const prefix = /^\/(us|eu|in)(?=\/|$)/.exec(path);
  if (prefix) return { region: prefix[1] as Region, path: path.slice(prefix[0].length) || '/' };
  const name = (host ?? '').toLowerCase().replace(/:\d+$/, '');
  return { region: HOSTS[name] ?? 'us', path };
}
