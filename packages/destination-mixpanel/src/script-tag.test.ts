// @vitest-environment happy-dom
import type { Analytics, Message } from '@tally/browser';
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('script-tag entry (dist/tally-device.min.js)', () => {
  it('installs window.tally with the Mixpanel destination from tallySettings.mixpanel, falling back to the proxy', async () => {
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
    await win.tally!.ready();
    await win.tally!.flush();
    await vi.waitFor(() => expect(posted.map((m) => m.type === 'track' && m.event)).toEqual(['Blocked']), { timeout: 5000 });
  });
});
