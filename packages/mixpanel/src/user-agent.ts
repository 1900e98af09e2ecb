/** What Mixpanel's default properties need from a user agent. */
export interface ParsedUserAgent {
  browser?: string;
  browserVersion?: number;
  os?: string;
  device?: string;
}

// Names and order follow mixpanel.js (src/utils.js `_.info`), so device and cloud events read
// the same in reports. More specific tokens first: Edge and Opera UAs also say "Chrome".
const BROWSERS: [string, RegExp, RegExp][] = [
  ['Opera', /OPR\/|Opera/, /(?:OPR|Opera)\/(\d+(?:\.\d+)?)/],
  ['Samsung Internet', /SamsungBrowser\//, /SamsungBrowser\/(\d+(?:\.\d+)?)/],
  ['Microsoft Edge', /Edge?\/|EdgiOS\/|EdgA\//, /Edg(?:e|iOS|A)?\/(\d+(?:\.\d+)?)/],
  ['Chrome iOS', /CriOS\//, /CriOS\/(\d+(?:\.\d+)?)/],
  ['Firefox iOS', /FxiOS\//, /FxiOS\/(\d+(?:\.\d+)?)/],
  ['Chrome', /Chrome\//, /Chrome\/(\d+(?:\.\d+)?)/],
  ['Firefox', /Firefox\//, /Firefox\/(\d+(?:\.\d+)?)/],
  ['Mobile Safari', /Version\/.*Mobile.*Safari|Mobile\/.*Version\/.*Safari/, /Version\/(\d+(?:\.\d+)?)/],
  ['Safari', /Version\/.*Safari\//, /Version\/(\d+(?:\.\d+)?)/],
  ['Internet Explorer', /MSIE |Trident\//, /(?:rv:|MSIE )(\d+(?:\.\d+)?)/],
];

const SYSTEMS: [string, RegExp][] = [
  ['Windows Phone', /Windows Phone|WPDesktop/],
  ['Windows', /Windows/],
  ['iOS', /iPhone|iPad|iPod/],
  ['Android', /Android/],
  ['Chrome OS', /CrOS/],
  ['Mac OS X', /Macintosh|Mac OS X/],
  ['Linux', /Linux/],
];

const DEVICES: [string, RegExp][] = [
  ['Windows Phone', /Windows Phone|WPDesktop/],
  ['iPad', /iPad/],
  ['iPod Touch', /iPod/],
  ['iPhone', /iPhone/],
  ['Android', /Android/],
];

const first = <T extends [string, RegExp, ...unknown[]]>(table: T[], ua: string) => table.find((row) => row[1].test(ua));

/**
 * A deliberately tiny user-agent reader for the big browsers and systems, named as mixpanel.js
 * names them. The proxy may enrich `context.browser`/`context.os` (e.g. with bowser) instead;
 * those win over this.
 */
export function parseUserAgent(ua: string): ParsedUserAgent {
  const out: ParsedUserAgent = {};
  const browser = first(BROWSERS, ua);
  if (browser) {
    out.browser = browser[0];
    const match = browser[2].exec(ua);
    if (match?.[1]) out.browserVersion = parseFloat(match[1]);
  }
  const os = first(SYSTEMS, ua);
  if (os) out.os = os[0];
  const device = first(DEVICES, ua);
  if (device) out.device = device[0];
  return out;
}
