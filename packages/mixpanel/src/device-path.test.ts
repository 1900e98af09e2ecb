import { rollup, type Plugin } from 'rollup';
import { describe, expect, test } from 'vitest';
import { REJECTIONS, WARNINGS } from './messages.js';

// rollup.config.mjs is plain JS without declarations: the fields this test reads.
interface ScriptConfig {
  output?: { file?: string };
  plugins: Plugin[];
}

// The cloud-only modules: mixpanel.js adds its own default properties, truncates strings and
// handles a 413 itself, so the device bundle (tally-device.min.js) must leave them out.
const CLOUD_ONLY = ['map-cloud.ts', 'render-cloud.ts', 'record-size.ts', 'context-properties.ts', 'user-agent.ts'];

/** The mapping modules that keep code in a bundle importing only `entry` from `@tally/mixpanel`. */
async function bundled(entry: string): Promise<{ modules: string[]; code: string }> {
  const root = new URL('../../../', import.meta.url);
  const configs = (await import(/* @vite-ignore */ new URL('rollup.config.mjs', root).href)).default as ScriptConfig[];
  const device = configs.find((c) => c.output?.file?.endsWith('tally-device.min.js'));
  if (!device) throw new Error('rollup.config.mjs has no tally-device.min.js build');
  const virtual: Plugin = {
    name: 'entry',
    resolveId: (id: string) => (id === 'entry' ? id : null),
    load: (id: string) => (id === 'entry' ? `export { ${entry} } from '@tally/mixpanel';` : null),
  };
  const bundle = await rollup({ input: 'entry', plugins: [virtual, ...device.plugins], onwarn: () => {} });
  try {
    const { output } = await bundle.generate({ format: 'es' });
    const modules = Object.entries(output[0].modules)
      .filter(([id, m]) => id.includes('/packages/mixpanel/src/') && m.renderedLength > 0)
      .map(([id]) => id.slice(id.lastIndexOf('/') + 1));
    return { modules, code: output[0].code };
  } finally {
    await bundle.close();
  }
}

describe('tree-shaking: the device path bundles no cloud-only module', () => {
  test('mapToDevice leaves out cloud rendering, size checks, context properties and the user-agent reader', async () => {
    const { modules } = await bundled('mapToDevice');
    expect(modules).toContain('decide.ts');
    expect(modules).toContain('render-device.ts');
    for (const file of CLOUD_ONLY) expect(modules).not.toContain(file);
  });

  test('mapToCloud still bundles them (the check above tests something)', async () => {
    const { modules } = await bundled('mapToCloud');
    for (const file of CLOUD_ONLY) expect(modules).toContain(file);
  });

  test('mapToDevice carries no rejection or warning sentence (the device words them by code)', async () => {
    const { code } = await bundled('mapToDevice');
    for (const sentence of [...Object.values(REJECTIONS), WARNINGS.aliasSimplified, WARNINGS.renamed('a', 'b')]) {
      expect(code).not.toContain(sentence.slice(0, 30));
    }
  });
});
