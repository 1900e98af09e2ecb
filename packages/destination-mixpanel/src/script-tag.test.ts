// @vitest-environment happy-dom
import type { Analytics, Message } from '@tally/browser';
import { createCloudDestination } from '@tally/destination-cloud';
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('script-tag entry (dist/tally-device.min.js)', () => {
  it('installs window.tally with the Mixpanel destination from tallySettings.mixpanel, falling back to the proxy with the fallback code fetched only then', async () => {
    const posted: Message[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        const gzip = (init.headers as Record<string, string> | undefined)?.['Content-Encoding'] === 'gzip';
        const body = gzip ? await new Response(new Blob([init.body as ArrayBuffer]).stream().pipeThrough(new DecompressionStream('gzip'))).text() : String(init.body);
        posted.push(...(JSON.parse(body) as { batch: Message[] }).batch);
        return new Response('{"success":true}', { status: 200 });
      }),
    );
    const scripts: HTMLScriptElement[] = [];
    vi.spyOn(document.head, 'appendChild').mockImplementation(<T extends Node>(node: T) => (scripts.push(node as never), node));
    const win = window as unknown as { tally?: Analytics; tallySettings?: object };
    win.tallySettings = {
      writeKey: 'wk',
      apiHost: 'http://127.0.0.1:9',
      persistence: 'memory',
      mixpanel: { token: 'tok', src: '/assets/mp.js' },
    };
    await import('./script-tag.js');
    expect(typeof win.tally?.track).toBe('function');
    expect(scripts.map((s) => s.getAttribute('src'))).toEqual(['/assets/mp.js']);
    win.tally!.track('Blocked');
    scripts[0]!.onerror?.(new Event('error'));
    // The fallback's code is fetched from next to this script (here the page, as happy-dom has no currentScript).
    await vi.waitFor(() => expect(scripts.map((s) => s.src)).toEqual([expect.any(String), new URL('tally-device-fallback.min.js', location.href).href]));
    expect(posted).toEqual([]);
    (window as unknown as Record<string, unknown>).__tallyCloudFallback = { createCloudDestination };
    scripts[1]!.onload?.(new Event('load'));
    await win.tally!.ready();
    await win.tally!.flush();
    await vi.waitFor(() => expect(posted.map((m) => m.type === 'track' && m.event)).toEqual(['Blocked']), { timeout: 5000 });
  });
});
