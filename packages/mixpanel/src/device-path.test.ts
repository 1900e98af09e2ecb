import { rollup, type Plugin } from 'rollup';
import { describe, expect, test } from 'vitest';

// rollup.config.mjs is plain JS without declarations: the fields this test reads.
interface ScriptConfig {
  output?: { file?: string };
  plugins: Plugin[];
}

// The cloud-only modules: mixpanel.js adds its own default properties, truncates strings and
// handles a 413 itself, so the device bundle (tally-device.min.js) must leave them out.
const CLOUD_ONLY = ['map-cloud.ts', 'render-cloud.ts', 'record-size.ts', 'context-properties.ts', 'user-agent.ts'];

/** The mapping modules that keep code in a bundle importing only `entry` from `@tally/mixpanel`. */
async function bundledModules(entry: string): Promise<string[]> {
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
    return Object.entries(output[0].modules)
      .filter(([id, m]) => id.includes('/packages/mixpanel/src/') && m.renderedLength > 0)
      .map(([id]) => id.slice(id.lastIndexOf('/') + 1));
  } finally {
    await bundle.close();
  }
}

describe('tree-shaking: the device path bundles no cloud-only module', () => {
  test('mapToDevice leaves out cloud rendering, size checks, context properties and the user-agent reader', async () => {
    const modules = await bundledModules('mapToDevice');
    expect(modules).toContain('decide.ts');
    expect(modules).toContain('render-device.ts');
    for (const file of CLOUD_ONLY) expect(modules).not.toContain(file);
  });

  test('mapToCloud still bundles them (the check above tests something)', async () => {
    const modules = await bundledModules('mapToCloud');
    for (const file of CLOUD_ONLY) expect(modules).toContain(file);
  });
});
