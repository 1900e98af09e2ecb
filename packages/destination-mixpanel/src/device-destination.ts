import type { Analytics, BrowserDestination, ResolvedSettings } from '@tally/browser';
import type { Message, MessageType } from '@tally/core';
import type { CloudDestinationOptions } from '@tally/destination-cloud';
import { mapToDevice, resolveMixpanelSettings, type MixpanelSettings } from '@tally/mixpanel';
import { applyCalls } from './apply-calls.js';
import { initConfig } from './init-config.js';
import { loadScript } from './load-script.js';
import { destinationError, TEXTS } from './messages.js';
import type { MixpanelLib } from './mixpanel-lib.js';
import { DEFAULT_SRC, DEFAULT_TIMEOUT, DEVICE_KEYS, type FallbackDestination, type MixpanelDestinationOptions } from './options.js';
import { requestInstance } from './request-instance.js';
import { syncIdentity } from './sync-identity.js';

const NAME = 'Mixpanel';
type Route = 'loading' | 'mixpanel' | 'fallback' | 'dropped';
type Handler = (message: Message) => void | Promise<void>;
const MESSAGE_TYPES = ['track', 'page', 'screen', 'identify', 'alias', 'group'] as const;

/** Makes the cloud fallback from its options; may load its code first (the script tag fetches it only when needed). */
export type MakeFallback = (options: CloudDestinationOptions) => FallbackDestination | Promise<FallbackDestination>;

/**
 * Device mode (see `createMixpanelDestination`), with the cloud fallback made by `makeFallback`:
 * loads the official mixpanel.js (async, self-hosted by default) and turns every call into the
 * mixpanel.js calls `mapToDevice` decides, so names, people and super properties equal cloud mode's.
 * Until mixpanel.js is ready the client buffers calls; if it fails to load or is not ready within
 * `timeout`, the buffered and all later calls go to `fallback` (cloud mode) instead,
 * and mixpanel.js is never used on this page even if it loads late.
 * @example createDeviceDestination({ token, fallback: {} }, createCloudDestination)
 */
export function createDeviceDestination(options: MixpanelDestinationOptions, makeFallback: MakeFallback): BrowserDestination {
  const timeout = options.timeout ?? DEFAULT_TIMEOUT;
  const src = options.src ?? DEFAULT_SRC;
  const mappingInput: Record<string, unknown> = { ...options };
  for (const key of DEVICE_KEYS) delete mappingInput[key];
  let route: Route = 'loading';
  let mp: MixpanelLib | undefined;
  let settings: MixpanelSettings | undefined;
  let fallback: FallbackDestination | undefined;
  let debug = false;

  const warn = (text: string) => {
    if (!debug) return;
    try {
      console.warn(`[tally] ${NAME}: ${text}`);
    } catch {
      /* a console that throws must not break the page */
    }
  };

  /** Decides, once, where calls go when mixpanel.js is not coming; they stay buffered until the fallback is loaded. */
  const giveUp = async (reason: string) => {
    const given = options.fallback;
    if (!given) {
      route = 'dropped';
      throw destinationError(`${reason}; ${TEXTS.dropping}`);
    }
    route = 'fallback';
    warn(TEXTS.fallingBack(reason));
    fallback = typeof (given as FallbackDestination).load === 'function' ? (given as FallbackDestination) : await makeFallback(given as CloudDestinationOptions);
  };

  /** Resolves with undefined once mixpanel.js is ready, or with the reason it is not coming; decides once. */
  const waitForMixpanel = (win: Window, client: ResolvedSettings, optedOut: boolean) =>
    new Promise<string | undefined>((resolve) => {
      let waiting = true;
      const finish = (reason?: string) => {
        if (!waiting) return;
        waiting = false;
        clearTimeout(timer);
        resolve(reason);
      };
      const config = {
        ...initConfig(client, options, settings!, optedOut),
        loaded: (instance: MixpanelLib) => {
          // A late load after the fallback took over is ignored: nothing may be sent twice.
          if (!waiting) return;
          mp = instance;
          route = 'mixpanel';
          finish();
        },
      };
      const timer = setTimeout(() => finish(TEXTS.timeout(timeout)), timeout);
      const fetchIt = requestInstance(win as unknown as { mixpanel?: unknown }, settings!.token, config, options.instanceName ?? 'tally');
      if (fetchIt && waiting) {
        loadScript(win.document, { src, integrity: options.integrity, nonce: options.nonce }, (error) => error && finish(TEXTS.scriptError(src)));
      }
    });

  const handler = (type: MessageType): Handler => (message) => {
    if (route === 'fallback') return (fallback![type] as Handler | undefined)?.call(fallback, message);
    if (route !== 'mixpanel') return;
    const result = mapToDevice(message, settings!, Date.now());
    if (!result.ok) throw destinationError(TEXTS.rejected(result.rejection.message));
    result.warnings.forEach(warn);
    syncIdentity(mp!, message, settings!.identityMerge);
    applyCalls(mp!, result.calls);
  };

  const destination: BrowserDestination = {
    name: NAME,
    async load(clientSettings: ResolvedSettings, client: Analytics) {
      debug = clientSettings.debug === true;
      const resolved = resolveMixpanelSettings(mappingInput, { side: 'device' });
      let reason: string | undefined;
      if (!resolved.ok) reason = TEXTS.settings(resolved.errors);
      else if (typeof window === 'undefined') reason = TEXTS.noWindow;
      else {
        settings = resolved.settings;
        reason = await waitForMixpanel(window, clientSettings, client.isOptedOut());
        // Tally decides opt-out: an opt-out mixpanel.js remembers from earlier is lifted if Tally is opted in.
        if (reason === undefined && !client.isOptedOut() && mp!.has_opted_out_tracking()) mp!.opt_in_tracking({ track: false });
      }
      if (reason === undefined) return;
      await giveUp(reason);
      await fallback!.load(clientSettings, client);
    },
    isLoaded: () => route === 'mixpanel' || route === 'dropped' || (route === 'fallback' && !!fallback?.isLoaded()),
    reset() {
      if (route === 'fallback') return fallback!.reset?.();
      if (route === 'mixpanel') mp!.reset();
    },
    flush() {
      // mixpanel.js 2.83 has no public flush of its batches (it sends them itself, also on page hide).
      if (route === 'fallback') return fallback!.flush?.();
    },
    setOptOut(optedOut: boolean) {
      if (route === 'fallback') return fallback!.setOptOut?.(optedOut);
      if (route !== 'mixpanel') return;
      // Opting out stops sending; it is not a request to erase the Mixpanel profile.
      if (optedOut) mp!.opt_out_tracking({ delete_user: false });
      else mp!.opt_in_tracking({ track: false });
    },
  };
  for (const type of MESSAGE_TYPES) destination[type] = handler(type);
  return destination;
}
