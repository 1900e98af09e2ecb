import { describe, expect, it, vi } from 'vitest';
import type { MixpanelGlobal } from './mixpanel-lib.js';
import { requestInstance } from './request-instance.js';

describe('requestInstance', () => {
  it('leaves a stub mixpanel.js can start from when there is no mixpanel yet, and asks for the file', () => {
    const win: { mixpanel?: unknown } = {};
    const config = { api_host: 'x' };
    expect(requestInstance(win, 'tok', config, 'tally')).toBe(true);
    const stub = win.mixpanel as MixpanelGlobal;
    expect(stub.__SV).toBeGreaterThanOrEqual(1.1);
    expect(stub._i).toEqual([['tok', config, 'tally']]);
    // A site calling mixpanel.init before the file runs is queued as the official snippet would.
    stub.init!('site-token', {}, undefined as never);
    expect(stub._i).toEqual([['tok', config, 'tally'], ['site-token', {}, 'mixpanel']]);
  });

  it('reuses a library the site already loaded: a named instance, no second copy', () => {
    const init = vi.fn();
    const site = { __loaded: true, init, track: () => {} };
    const win = { mixpanel: site };
    expect(requestInstance(win, 'tok', { a: 1 }, 'tally')).toBe(false);
    expect(init).toHaveBeenCalledWith('tok', { a: 1 }, 'tally');
    expect(win.mixpanel).toBe(site);
  });

  it("joins a site's snippet that is still loading", () => {
    const snippet = Object.assign([] as unknown[], { __SV: 1.2, _i: [['site', {}, 'mixpanel']] as unknown[][] });
    const init = vi.fn((t: string, c: object, n: string) => void snippet._i.push([t, c, n]));
    const win = { mixpanel: Object.assign(snippet, { init }) };
    expect(requestInstance(win, 'tok', {}, 'tally')).toBe(false);
    expect(snippet._i).toEqual([['site', {}, 'mixpanel'], ['tok', {}, 'tally']]);
  });
});
