import Bowser from 'bowser';
import type { Context } from '@tally/core';

type Named = { name: string; version?: string };

// bowser's names where mixpanel.js (src/utils.js `_.info`) says otherwise, so device-mode and
// cloud-mode events read the same in Mixpanel's reports.
const OS_NAMES: Record<string, string> = { macOS: 'Mac OS X', 'Chrome OS': 'Chrome OS' };
const MOBILE_BROWSERS: Record<string, string> = { Safari: 'Mobile Safari', Chrome: 'Chrome iOS', Firefox: 'Firefox iOS' };
const BROWSER_NAMES: Record<string, string> = { 'Samsung Internet for Android': 'Samsung Internet', 'Microsoft Edge': 'Microsoft Edge' };

const cache = new Map<string, { browser?: Named; os?: Named }>();
// User agents repeat heavily across events; a small bounded cache saves re-parsing.
const CACHE_SIZE = 1_000;

function parse(ua: string) {
  let hit = cache.get(ua);
  if (hit) return hit;
  const result = Bowser.parse(ua);
  hit = {};
  const ios = result.os.name === 'iOS';
  const browserName = result.browser.name && ((ios ? MOBILE_BROWSERS[result.browser.name] : undefined) ?? BROWSER_NAMES[result.browser.name] ?? result.browser.name);
  if (browserName) hit.browser = { name: browserName, ...(result.browser.version ? { version: result.browser.version } : {}) };
  if (result.os.name) hit.os = { name: OS_NAMES[result.os.name] ?? result.os.name, ...(result.os.version ? { version: result.os.version } : {}) };
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(ua, hit);
  return hit;
}

/**
 * Fills `context.browser` (`{ name, version }`, Mixpanel's `$browser`/`$browser_version`) and
 * `context.os` (`{ name, version }`, Mixpanel's `$os`/`$os_version`) from `context.userAgent`,
 * keeping any value the client already sent.
 */
export function enrichUserAgent(context: Context): void {
  if (typeof context.userAgent !== 'string' || context.userAgent === '') return;
  if (context.browser !== undefined && context.os !== undefined) return;
  const parsed = parse(context.userAgent);
  if (context.browser === undefined && parsed.browser) context.browser = { ...parsed.browser };
  if (context.os === undefined && parsed.os) context.os = { ...parsed.os };
}
