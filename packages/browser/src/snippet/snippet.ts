/**
 * The script-tag snippet a site pastes inline: installs the `window.tally` stub unless a client
 * or another stub is already there (a snippet pasted twice, or the bundle already loaded).
 * Built to `dist/snippet.min.js`; a page then calls `tally.load(writeKey, settings)`.
 */
import { createStub } from './stub.js';

const host = window as Window & typeof globalThis & { tally?: unknown };
if (!host.tally) host.tally = createStub(host);
