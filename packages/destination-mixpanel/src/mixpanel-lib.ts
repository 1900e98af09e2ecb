/** The part of a mixpanel.js instance this destination calls (mixpanel-browser 2.83). */
export interface MixpanelLib {
  track(event: string, properties?: object): unknown;
  identify(id: string): unknown;
  alias(alias: string, original?: string): unknown;
  register(properties: object): unknown;
  reset(): unknown;
  get_property(name: string): unknown;
  opt_out_tracking(options?: object): unknown;
  opt_in_tracking(options?: object): unknown;
  has_opted_out_tracking(): boolean;
  people: { [method: string]: unknown };
  get_group(key: string, id: string): { set(properties: object): unknown };
}

/**
 * `window.mixpanel`: the official snippet's stub before the library runs (`__SV`, `_i` = queued
 * `init` arguments), or the loaded library (`__loaded`), whose `init(token, config, name)`
 * creates a named instance at once.
 */
export interface MixpanelGlobal {
  __SV?: number;
  __loaded?: boolean;
  _i?: unknown[][];
  init?(token: string, config: object, name: string): unknown;
  [key: string]: unknown;
}
