import type { AnalyticsSettings } from '../settings.js';
import { STUB_METHODS, type SnippetStub } from '../snippet-protocol.js';

/** Settings the snippet itself reads from `load(writeKey, settings)`; all of them also reach the bundle. */
export interface SnippetLoadSettings extends AnalyticsSettings {
  /** Where the bundle lives; defaults to same-origin `/tally.min.js`. */
  src?: string;
  /** CSP nonce for the injected `<script>`; defaults to the snippet's own script nonce. */
  nonce?: string;
}

/** Bumped when the queue's shape changes, so the bundle can tell old pasted snippets apart. */
export const SNIPPET_VERSION = '1';

const DEFAULT_SRC = '/tally.min.js';

/**
 * Builds the stub for one window, following `snippet-protocol.ts`. Getters answer "nobody yet"
 * instead of throwing, because a blocked bundle must never break the host page.
 */
export function createStub(win: Window & typeof globalThis): SnippetStub {
  const doc = win.document;
  const loc = win.location;
  const stub: SnippetStub = { _q: [], _v: SNIPPET_VERSION, _loaded: false };
  // `currentScript` is only set while the snippet's own script runs, so read it now.
  const ownNonce = (doc.currentScript as HTMLScriptElement | null)?.nonce;
  const record = (method: string, args: unknown[]) => {
    // Looked up per call: after replay the bundle swaps `_q.push` to forward to the client.
    stub._q.push([
      method,
      args,
      Date.now(),
      { url: loc.href, title: doc.title, referrer: doc.referrer, path: loc.pathname, search: loc.search },
    ]);
  };
  const nobody = () => null;
  const nothing = () => ({});

  for (const method of STUB_METHODS) stub[method] = (...args: unknown[]) => record(method, args);
  stub.user = () => ({ id: nobody, anonymousId: nobody, traits: nothing });
  stub.group = (...args: unknown[]) => (args.length ? record('group', args) : { id: nobody, traits: nothing });
  stub.load = (writeKey: string, settings: SnippetLoadSettings = {}) => {
    if (stub._loaded) return;
    stub._loaded = true;
    stub._s = { ...settings, writeKey };
    const script = doc.createElement('script');
    script.async = true;
    script.src = settings.src || DEFAULT_SRC;
    const nonce = settings.nonce || ownNonce;
    if (nonce) script.nonce = nonce;
    const first = doc.getElementsByTagName('script')[0];
    if (first?.parentNode) first.parentNode.insertBefore(script, first);
    else doc.head.appendChild(script);
  };
  return stub;
}
