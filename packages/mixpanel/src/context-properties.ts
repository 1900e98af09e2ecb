// Cloud-only: Mixpanel's default properties from the context. mixpanel.js adds its own in device mode,
// so the device path never imports this module (nor the user-agent reader).
import { isPlainObject, type Context, type JsonObject } from '@tally/core';
import { parseUserAgent } from './user-agent.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
// mixpanel.js sends `$browser_version` as a number, major.minor (`parseFloat('131.0')`); enrichers give '131.0.0.0'.
const version = (v: unknown): number | string | undefined => {
  const match = typeof v === 'string' ? /^\d+(\.\d+)?/.exec(v) : null;
  return match ? parseFloat(match[0]) : (num(v) ?? str(v));
};

/** The host of a URL, as mixpanel.js derives `$referring_domain` (third `/`-separated part). */
export function referringDomain(referrer: string): string | undefined {
  const host = referrer.split('/')[2];
  return host ? host : undefined;
}

/** `context.userAgentData` (User-Agent Client Hints): the platform and the most specific brand. */
function fromClientHints(data: unknown): { os?: string; browser?: string; version?: number } {
  if (!isPlainObject(data)) return {};
  const brands = Array.isArray(data.brands) ? data.brands.filter(isPlainObject) : [];
  // Brands list "Chromium" and a GREASE entry ("Not A;Brand") besides the real browser.
  const brand = brands.find((b) => typeof b.brand === 'string' && !/Not.?A.?Brand|Chromium/i.test(b.brand)) ??
    brands.find((b) => b.brand === 'Chromium');
  const platform = str(data.platform);
  const names: Record<string, string> = { macOS: 'Mac OS X', 'Google Chrome': 'Chrome', 'Microsoft Edge': 'Microsoft Edge' };
  const out: { os?: string; browser?: string; version?: number } = {};
  if (platform) out.os = names[platform] ?? platform;
  if (brand && typeof brand.brand === 'string') {
    out.browser = names[brand.brand] ?? brand.brand;
    const version = parseFloat(String(brand.version));
    if (Number.isFinite(version)) out.version = version;
  }
  return out;
}

/**
 * Mixpanel's default event properties from a message context, with the names mixpanel.js and
 * Mixpanel's mobile SDKs use. Already-parsed `context.os`/`context.browser` (a proxy enricher's
 * hook) win over client hints, which win over the tiny user-agent reader.
 */
export function contextProperties(context: Context): JsonObject {
  const page: JsonObject = isPlainObject(context.page) ? context.page : {};
  const os: JsonObject = isPlainObject(context.os) ? context.os : {};
  const browser: JsonObject = isPlainObject(context.browser) ? context.browser : {};
  const screen: JsonObject = isPlainObject(context.screen) ? context.screen : {};
  const library: JsonObject = isPlainObject(context.library) ? context.library : {};
  const app: JsonObject = isPlainObject(context.app) ? context.app : {};
  const device: JsonObject = isPlainObject(context.device) ? context.device : {};
  const hints = fromClientHints(context.userAgentData);
  const ua = typeof context.userAgent === 'string' ? parseUserAgent(context.userAgent) : {};
  const referrer = str(page.referrer);
  const entries: Array<[string, string | number | undefined]> = [
    ['$current_url', str(page.url)],
    ['$referrer', referrer],
    ['$referring_domain', referrer && referringDomain(referrer)],
    ['$os', str(os.name) ?? hints.os ?? ua.os],
    ['$os_version', str(os.version)],
    ['$browser', str(browser.name) ?? hints.browser ?? ua.browser],
    ['$browser_version', version(browser.version) ?? hints.version ?? ua.browserVersion],
    ['$device', str(device.name) ?? ua.device],
    ['$manufacturer', str(device.manufacturer)],
    ['$model', str(device.model)],
    ['$screen_width', num(screen.width)],
    ['$screen_height', num(screen.height)],
    // Mixpanel's iOS and Android SDKs: version name and build number.
    ['$app_version_string', str(app.version)],
    ['$app_build_number', str(app.build) ?? num(app.build)],
    ['$app_release', str(app.build) ?? num(app.build)],
    ['mp_lib', str(library.name) ?? 'tally'],
    ['$lib_version', str(library.version)],
  ];
  // Only defined values are added, in this order: deleting the undefined ones instead (as before)
  // left the object in V8's slow dictionary mode, and every later copy of it paid for that
  // (eventRecord was 12.6% of the proxy's ingest profile).
  const out: JsonObject = {};
  for (const [key, value] of entries) if (value !== undefined) out[key] = value;
  return out;
}

// Campaign properties are decided on both sides (campaign.ts); re-exported here for callers of this module.
export { campaignProperties } from './campaign.js';
