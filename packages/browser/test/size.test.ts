import { beforeAll, describe, expect, it } from 'vitest';

interface Scenario {
  scenario: string;
  file: string;
  budget: Partial<Record<'bytes' | 'gzip' | 'brotli', number>>;
  target: Partial<Record<'bytes' | 'gzip' | 'brotli', number>>;
}
interface Measured {
  bytes: number;
  gzip: number;
  brotli: number;
}
interface SizeModule {
  scenarios: Scenario[];
  measure(code: string): Measured;
  buildFresh(scenario: Scenario): Promise<string>;
  overBudget(scenario: Scenario, measured: Measured, limits?: Scenario['budget']): unknown[];
}

// scripts/size.mjs is plain JS without declarations; this one cast types it for the test.
const sizeUrl = new URL('../../../scripts/size.mjs', import.meta.url).href;
const size = (await import(/* @vite-ignore */ sizeUrl)) as SizeModule;
const scenario = (name: string) => size.scenarios.find((s) => s.scenario === name)!;

describe('script-tag size budgets', () => {
  // Each scenario is bundled fresh in memory with rollup.config.mjs's own build (terser included).
  const built = new Map<string, string>();
  beforeAll(async () => {
    for (const s of size.scenarios) built.set(s.scenario, await size.buildFresh(s));
  });

  const names = ['snippet', 'core', 'core+cloud', 'core+device', 'device fallback (on demand)'];

  it("records the issues' targets: snippet 1 KB minified, core 4 KB, core+cloud 6 KB, core+device 8 KB gzip", () => {
    expect(scenario('snippet').target).toEqual({ bytes: 1024 });
    expect(scenario('core').target).toEqual({ gzip: 4096 });
    expect(scenario('core+cloud').target).toEqual({ gzip: 6144 });
    expect(scenario('core+device').target).toEqual({ gzip: 8192 });
    // A budget never allows more than was measured when the bundle last shrank.
    expect(scenario('snippet').budget).toEqual({ bytes: 1024 });
  });

  it.each(names)('keeps %s within its enforced budget', (name) => {
    const measured = size.measure(built.get(name)!);
    expect(size.overBudget(scenario(name), measured), `${name} measured ${JSON.stringify(measured)}`).toEqual([]);
  });

  it.each(names)('ships %s without eval or the Function constructor (strict CSP)', (name) => {
    expect(built.get(name)).not.toMatch(/\beval\s*\(|\bFunction\s*\(/);
  });

  it('reports each field over its budget with both numbers', () => {
    const tight: Scenario = { scenario: 'tight', file: 'x.js', budget: { bytes: 10, gzip: 1000 }, target: {} };
    expect(size.overBudget(tight, { bytes: 11, gzip: 5, brotli: 4 })).toEqual([
      { scenario: 'tight', field: 'bytes', limit: 10, actual: 11 },
    ]);
  });

  it('measures the code without its source-map comment, and compresses real code', () => {
    const code = built.get('snippet')!;
    const measured = size.measure(`${code}\n//# sourceMappingURL=snippet.min.js.map\n`);
    expect(measured.bytes).toBe(Buffer.byteLength(code));
    expect(measured.gzip).toBeLessThan(measured.bytes);
    expect(measured.brotli).toBeLessThan(measured.bytes);
  });
});
