// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FALLBACK_GLOBAL, lazyFallback } from './lazy-fallback.js';
import type { FallbackDestination } from './options.js';

afterEach(() => {
  vi.restoreAllMocks();
  delete (window as unknown as Record<string, unknown>)[FALLBACK_GLOBAL];
});

describe('lazyFallback', () => {
  it('fetches the fallback script once, then makes the destination with the given options', async () => {
    const scripts: HTMLScriptElement[] = [];
    vi.spyOn(document.head, 'appendChild').mockImplementation(<T extends Node>(node: T) => (scripts.push(node as never), node));
    const made = { name: 'cloud' } as FallbackDestination;
    const createCloudDestination = vi.fn(() => made);
    const make = lazyFallback(window, { src: '/x/fallback.js', nonce: 'n1' });
    const pending = make({ apiHost: 'https://t.example.com' });
    expect(scripts.map((s) => [s.getAttribute('src'), s.getAttribute('nonce')])).toEqual([['/x/fallback.js', 'n1']]);
    (window as unknown as Record<string, unknown>)[FALLBACK_GLOBAL] = { createCloudDestination };
    scripts[0]!.onload?.(new Event('load'));
    await expect(pending).resolves.toBe(made);
    expect(createCloudDestination).toHaveBeenCalledWith({ apiHost: 'https://t.example.com' });
    await make({});
    expect(scripts).toHaveLength(1);
  });

  it('rejects with a clear error when the fallback script does not load', async () => {
    const scripts: HTMLScriptElement[] = [];
    vi.spyOn(document.head, 'appendChild').mockImplementation(<T extends Node>(node: T) => (scripts.push(node as never), node));
    const pending = lazyFallback(window, { src: '/x/fallback.js' })({});
    scripts[0]!.onerror?.(new Event('error'));
    await expect(pending).rejects.toThrow("[tally] Mixpanel: the cloud fallback's code failed to load from /x/fallback.js; calls stay buffered");
  });
});
