import { describe, expect, it } from 'vitest';

// scripts/size.mjs is plain JS without declarations; this one cast types it for the test.
const sizeUrl = new URL('../../../scripts/size.mjs', import.meta.url).href;

describe('dist/tally-device.min.js', () => {
  it('bundles without eval, the Function constructor or document.write (strict CSP)', { timeout: 60_000 }, async () => {
    const size = (await import(/* @vite-ignore */ sizeUrl)) as { buildFresh(scenario: { file: string }): Promise<string> };
    const code = await size.buildFresh({ file: 'packages/destination-mixpanel/dist/tally-device.min.js' });
    expect(code).toContain('mixpanel');
    expect(code).not.toMatch(/\beval\s*\(|\bFunction\s*\(|document\.write/);
  });
});
