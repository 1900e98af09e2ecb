/** How to fetch a script: URL, optional SRI hash and CSP nonce. */
export interface ScriptSource {
  src: string;
  integrity?: string | undefined;
  nonce?: string | undefined;
}

/**
 * Injects `<script async>` for `source` (never `document.write`, never eval) and calls `done`
 * once: with no argument when it ran, with an error when it failed to load.
 */
export function loadScript(doc: Document, source: ScriptSource, done: (error?: Error) => void): HTMLScriptElement {
  const script = doc.createElement('script');
  script.async = true;
  if (source.integrity) {
    script.integrity = source.integrity;
    // SRI on a cross-origin script needs a CORS fetch; credentials are never needed for a library.
    script.crossOrigin = 'anonymous';
  }
  // The attribute (not only the property) so older browsers match it against the CSP too.
  if (source.nonce) script.setAttribute('nonce', source.nonce);
  script.onload = () => done();
  script.onerror = () => done(new Error(source.src));
  script.src = source.src;
  (doc.head ?? doc.documentElement).appendChild(script);
  return script;
}
