import type { CloudDestinationOptions } from '@tally/destination-cloud';
import type { MakeFallback } from './device-destination.js';
import { loadScript, type ScriptSource } from './load-script.js';
import { destinationError, TEXTS } from './messages.js';
import type { FallbackDestination } from './options.js';

/** The global dist/tally-device-fallback.min.js defines (its IIFE name in rollup.config.mjs). */
export const FALLBACK_GLOBAL = '__tallyCloudFallback';
/** The fallback's file, served next to tally-device.min.js. */
export const FALLBACK_FILE = 'tally-device-fallback.min.js';

type FallbackModule = { createCloudDestination(options: CloudDestinationOptions): FallbackDestination };

/**
 * A `MakeFallback` that fetches the cloud destination's code from `source` first. Until it has
 * run, and for good if it fails, the client keeps the calls buffered: nothing is lost or sent twice.
 */
export function lazyFallback(win: Window, source: ScriptSource): MakeFallback {
  const loaded = () => (win as unknown as Record<string, FallbackModule | undefined>)[FALLBACK_GLOBAL];
  return async (options) => {
    // Loaded or failed, the global tells: a script that 404s or is blocked defines nothing.
    if (!loaded()) await new Promise<void>((resolve) => loadScript(win.document, source, () => resolve()));
    const module = loaded();
    if (!module) throw destinationError(TEXTS.fallbackScriptError(source.src));
    return module.createCloudDestination(options);
  };
}
